package dev.cxr.engine.layers;

import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.List;

/**
 * A differentiable step of a network. {@code forward} keeps what {@code backward} needs; backward
 * takes dL/dy, adds the parameter gradients into {@link Parameter#grad()} (unless frozen) and
 * returns dL/dx.
 *
 * <p>Tensors a layer returns are owned by the layer and stay valid until its next call of the same
 * kind; copy them to keep them longer. {@link #close()} releases them and the parameters.
 */
public interface Layer extends AutoCloseable {

    String name();

    /** The shape forward produces for an input of shape {@code input}, validating it. */
    Shape outputShape(Shape input);

    /** @param training true while training (dropout active) */
    Tensor forward(Tensor x, boolean training);

    Tensor backward(Tensor dy);

    /** This layer's parameters, in a stable order (kernel before bias). */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Freezes every parameter: one call to stop a layer or sub-network from training. */
    default void freeze() {
        parameters().forEach(p -> p.setTrainable(false));
    }

    default void unfreeze() {
        parameters().forEach(p -> p.setTrainable(true));
    }

    default void zeroGrad() {
        parameters().forEach(Parameter::zeroGrad);
    }

    @Override
    void close();
}
