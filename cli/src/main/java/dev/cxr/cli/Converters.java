package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.Preprocessing;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters that reuse the model's own messages for a wrong value. */
final class Converters {
    private Converters() {}

    /** caffe | tutorial. */
    static final class PreprocessingConverter implements ITypeConverter<Preprocessing> {
        @Override
        public Preprocessing convert(String value) {
            try {
                return Preprocessing.parse(value);
            } catch (CxrException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
