package dev.cxr.engine.layers;

import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Layers run in order; backward runs them in reverse. A Sequential is itself a layer, so a network
 * can hold sub-networks (VGG16's base, the head) and freeze one with a single call.
 */
public final class Sequential implements Layer {
    private final String name;
    private final List<Layer> layers;

    public Sequential(String name, List<? extends Layer> layers) {
        this.name = name;
        this.layers = List.copyOf(layers);
        if (this.layers.isEmpty()) {
            throw new IllegalArgumentException(name + ": a Sequential needs at least one layer");
        }
    }

    public static Sequential of(String name, Layer... layers) {
        return new Sequential(name, List.of(layers));
    }

    @Override
    public String name() {
        return name;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The layer with this name, searching nested Sequentials too. */
    public Layer layer(String layerName) {
        for (Layer l : layers) {
            if (l.name().equals(layerName)) {
                return l;
            }
            if (l instanceof Sequential s) {
                try {
                    return s.layer(layerName);
                } catch (NoSuchElementException notThere) {
                    // keep looking
                }
            }
        }
        throw new NoSuchElementException(name + " has no layer named " + layerName);
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor t = x;
        for (Layer l : layers) {
            t = l.forward(t, training);
        }
        return t;
    }

    /**
     * The forward pass for inference, after which no backward pass may run: the values of
     * {@code forward(x, false)}, but a convolution followed by a max pool runs as one op where the
     * backend fuses the pair (less memory traffic, and the convolution's output is never kept).
     */
    public Tensor infer(Tensor x) {
        Tensor t = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Conv2d conv && i + 1 < layers.size() && layers.get(i + 1) instanceof MaxPool2d pool) {
                t = pool.forwardAfter(conv, t);
                i++;
            } else if (l instanceof Sequential inner) {
                t = inner.infer(t);
            } else {
                t = l.forward(t, false);
            }
        }
        return t;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.parameters());
        }
        return all;
    }

    @Override
    public void close() {
        layers.forEach(Layer::close);
    }

    @Override
    public String toString() {
        return "Sequential(" + name + ", " + layers.size() + " layers)";
    }
}
