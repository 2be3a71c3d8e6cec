package dev.cxr.engine.io;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.layers.Sequential;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the weights of a Keras file into a network of engine layers whose names are the Keras layer
 * names: a lookup by name, each array's shape checked against the parameter it fills. Keras's
 * layouts equal the engine's except for convolution kernels, which Keras stores HWIO and the engine
 * keeps OIHW; {@link #hwioToOihw} is the one place that converts them.
 *
 * <p>Loading happens in two steps so that a wrong file never leaves a half-loaded network:
 * {@link #plan} checks and converts everything, {@link Plan#apply()} then sets the parameters.
 */
public final class KerasWeightsLoader {
    private KerasWeightsLoader() {}

    /** Checks that the file holds exactly the network's weighted layers, then loads them. */
    public static void load(KerasWeights weights, Layer network) {
        Plan plan = plan(weights, network);
        if (!plan.unusedFileLayers().isEmpty()) {
            throw new CxrException(
                    weights.file() + ": layer " + plan.unusedFileLayers().get(0)
                            + " has weights in the file but is not in the network " + network.name()
                            + " (weights of another network?)");
        }
        plan.apply();
    }

    /**
     * Matches every weighted layer of {@code network} with the file layer of the same name, checks
     * the shapes and converts the arrays; sets nothing.
     *
     * @throws CxrException naming the file, the layer, what was expected and what was found
     */
    public static Plan plan(KerasWeights weights, Layer network) {
        Map<Parameter, float[]> values = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Layer layer : weightedLayers(network)) {
            KerasLayerWeights fromFile = weights.layer(layer.name())
                    .orElseThrow(() -> new CxrException(
                            weights.file() + ": layer " + layer.name() + " is missing (the file's layers with weights: "
                                    + abbreviate(weights.weightedNamesText()) + ")"));
            List<Parameter> params = layer.parameters();
            if (fromFile.arrays().size() != params.size()) {
                throw new CxrException(weights.file() + ": layer " + layer.name() + ": expected " + params.size()
                        + " weight arrays " + kerasShapesText(layer) + ", file has "
                        + fromFile.arrays().size()
                        + " " + fromFile.shapesText());
            }
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                KerasArray a = fromFile.arrays().get(i);
                int[] expected = kerasShape(layer, p);
                if (!java.util.Arrays.equals(expected, a.shape())) {
                    throw new CxrException(weights.file() + ": layer " + layer.name() + ": expected "
                            + shortName(p) + " " + KerasArray.shapeText(expected) + ", file has "
                            + a.shapeText() + " (" + a.name() + ")");
                }
                values.put(p, toEngineLayout(layer, p, a));
            }
            used.add(layer.name());
        }
        List<String> unused = new ArrayList<>();
        for (KerasLayerWeights l : weights.layersWithWeights()) {
            if (!used.contains(l.name())) {
                unused.add(l.name());
            }
        }
        return new Plan(values, unused);
    }

    /** Checked, converted weights ready to be set; {@link #apply()} sets them all. */
    public static final class Plan {
        private final Map<Parameter, float[]> values;
        private final List<String> unusedFileLayers;

        private Plan(Map<Parameter, float[]> values, List<String> unusedFileLayers) {
            this.values = values;
            this.unusedFileLayers = List.copyOf(unusedFileLayers);
        }

        /** File layers with weights that no layer of the network took, in file order. */
        public List<String> unusedFileLayers() {
            return unusedFileLayers;
        }

        /** How many parameters the plan sets. */
        public int parameterCount() {
            return values.size();
        }

        public void apply() {
            values.forEach(Parameter::set);
        }
    }

    /** The layers of {@code network} that own parameters, in order, looking inside Sequentials. */
    static List<Layer> weightedLayers(Layer network) {
        List<Layer> out = new ArrayList<>();
        if (network instanceof Sequential s) {
            for (Layer l : s.layers()) {
                out.addAll(weightedLayers(l));
            }
        } else if (!network.parameters().isEmpty()) {
            out.add(network);
        }
        return out;
    }

    /** The shape Keras stores for this parameter: HWIO for a conv kernel, the engine's own otherwise. */
    static int[] kerasShape(Layer layer, Parameter p) {
        int[] d = p.value().shape().dims();
        if (isConvKernel(layer, p)) {
            return new int[] {d[2], d[3], d[1], d[0]};
        }
        return d;
    }

    private static float[] toEngineLayout(Layer layer, Parameter p, KerasArray a) {
        if (isConvKernel(layer, p)) {
            int[] s = a.shape();
            return hwioToOihw(a.values(), s[0], s[1], s[2], s[3]);
        }
        return a.values();
    }

    private static boolean isConvKernel(Layer layer, Parameter p) {
        return layer instanceof Conv2d conv && p == conv.kernel();
    }

    /** Keras's conv kernel [kh, kw, in, out] (HWIO) to the engine's [out, in, kh, kw] (OIHW). */
    public static float[] hwioToOihw(float[] hwio, int kh, int kw, int in, int out) {
        if (hwio.length != kh * kw * in * out) {
            throw new IllegalArgumentException(
                    "kernel of " + hwio.length + " values is not " + kh + "x" + kw + "x" + in + "x" + out);
        }
        float[] oihw = new float[hwio.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    int src = ((y * kw + x) * in + i) * out;
                    for (int o = 0; o < out; o++) {
                        oihw[((o * in + i) * kh + y) * kw + x] = hwio[src + o];
                    }
                }
            }
        }
        return oihw;
    }

    private static String kerasShapesText(Layer layer) {
        StringBuilder sb = new StringBuilder("[");
        List<Parameter> params = layer.parameters();
        for (int i = 0; i < params.size(); i++) {
            sb.append(i > 0 ? ", " : "")
                    .append(shortName(params.get(i)))
                    .append(' ')
                    .append(KerasArray.shapeText(kerasShape(layer, params.get(i))));
        }
        return sb.append(']').toString();
    }

    private static String shortName(Parameter p) {
        String n = p.name();
        return n.substring(n.lastIndexOf('/') + 1);
    }

    private static String abbreviate(String s) {
        if (s.isEmpty()) {
            return "none";
        }
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
