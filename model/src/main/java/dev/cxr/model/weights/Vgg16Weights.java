package dev.cxr.model.weights;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.Sequential;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Loads VGG16's convolution weights from a Keras HDF5 weights file into the features network,
 * converting Keras's HWIO kernels to the engine's OIHW.
 */
public final class Vgg16Weights {
    /** md5 of Keras's vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5. */
    public static final String IMAGENET_NOTOP_MD5 = "6d6bbae143d832006294945121d1f1fc";
    public static final String IMAGENET_NOTOP_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5";

    /** What was loaded: the file and its md5 (recorded in saved models). */
    public record Info(Path file, String md5) {
    }

    private Vgg16Weights() {
    }

    public static Info load(Path file, Sequential features) {
        if (!Files.isRegularFile(file)) {
            throw new CxrException(file + ": weights file not found; run 'cxr weights fetch'");
        }
        try (HdfFile h5 = new HdfFile(file)) {
            for (Layer layer : features.layers()) {
                if (layer instanceof Conv2d conv) {
                    Group g = (Group) h5.getChild(conv.name());
                    if (g == null) {
                        throw new CxrException(file + ": layer " + conv.name() + " is missing");
                    }
                    Attribute names = g.getAttribute("weight_names");
                    String[] wn = (String[]) names.getData();
                    Dataset kernel = resolve(g, wn[0]);
                    Dataset bias = resolve(g, wn[1]);
                    float[] hwio = (float[]) kernel.getDataFlat();
                    int[] d = kernel.getDimensions();
                    conv.kernel().set(hwioToOihw(hwio, d[0], d[1], d[2], d[3]));
                    conv.bias().set((float[]) bias.getDataFlat());
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof CxrException) {
                throw e;
            }
            throw new CxrException(file + ": not a readable Keras VGG16 weights file (" + e.getMessage() + ")", e);
        }
        return new Info(file, md5(file));
    }

    private static Dataset resolve(Group g, String name) {
        return (Dataset) (name.contains("/") ? g.getByPath(name.substring(name.indexOf('/') + 1)) : g.getChild(name));
    }

    /** Keras's [kh, kw, in, out] to the engine's [out, in, kh, kw]. */
    static float[] hwioToOihw(float[] hwio, int kh, int kw, int in, int out) {
        float[] oihw = new float[hwio.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        oihw[((o * in + i) * kh + y) * kw + x] = hwio[((y * kw + x) * in + i) * out + o];
                    }
                }
            }
        }
        return oihw;
    }

    /** The md5 of a file, lower-case hex. */
    public static String md5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
