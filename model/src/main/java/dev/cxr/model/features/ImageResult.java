package dev.cxr.model.features;

import java.util.List;
import java.util.function.Function;

/**
 * What became of one image source at a step of the pipeline: its value (the resized image, its
 * features, its class probabilities), or, when it cannot be used, the one line that says why
 * ({@code "name: reason"}). A bad image is a result of its own, never a failed batch.
 *
 * @param value null when it failed
 * @param error null when it succeeded
 */
public record ImageResult<S extends ImageSource, T>(S source, T value, String error) {
    public ImageResult {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("an image result has either its value or its error: " + source);
        }
    }

    public static <S extends ImageSource, T> ImageResult<S, T> of(S source, T value) {
        return new ImageResult<>(source, value, null);
    }

    public static <S extends ImageSource, T> ImageResult<S, T> failed(S source, String error) {
        return new ImageResult<>(source, null, error);
    }

    public boolean ok() {
        return value != null;
    }

    /** Why it failed, without the leading {@code "name: "} (for a row whose first column is the name). */
    public String reason() {
        return InputImages.withoutName(source, error);
    }

    /** The next step's result: {@code step} applied to the value, or the same error. */
    public <U> ImageResult<S, U> map(Function<T, U> step) {
        return ok() ? of(source, step.apply(value)) : failed(source, error);
    }

    /** The sources that succeeded, in order. */
    public static <S extends ImageSource, T> List<S> usable(List<ImageResult<S, T>> results) {
        return results.stream().filter(ImageResult::ok).map(ImageResult::source).toList();
    }

    /** Their values, in the same order. */
    public static <S extends ImageSource, T> List<T> values(List<ImageResult<S, T>> results) {
        return results.stream().filter(ImageResult::ok).map(ImageResult::value).toList();
    }

    /** The ones that failed, in order. */
    public static <S extends ImageSource, T> List<ImageResult<S, T>> failed(List<ImageResult<S, T>> results) {
        return results.stream().filter(r -> !r.ok()).toList();
    }
}
