package io.github.lr4j.optim;

import java.util.Arrays;

/**
 * A parameter tensor: its values ({@code float[]}, row-major), its shape and its gradient. Fill
 * {@link #grad()} in place (or hand over an array with {@link #setGrad}) before each optimizer step.
 */
public final class Parameter {
    private final String name;
    private final float[] data;
    private final int[] shape;
    private float[] grad;

    private Parameter(String name, float[] data, int[] shape) {
        this.name = name;
        this.data = data;
        this.shape = shape;
        this.grad = new float[data.length];
    }

    /** Wraps {@code data} (not copied) with the given shape; with no shape, a vector. */
    public static Parameter of(String name, float[] data, int... shape) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        long size = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                throw new IllegalArgumentException("shape[" + i + "] must be >= 0, got " + s[i]);
            }
            size *= s[i];
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + size + " values but data has "
                    + data.length);
        }
        return new Parameter(name, data, s);
    }

    /** A zero-filled parameter of the given shape. */
    public static Parameter zeros(String name, int... shape) {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        return of(name, new float[Math.toIntExact(size)], shape);
    }

    public String name() {
        return name;
    }

    /** The values, updated in place by the optimizer. */
    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return data.length;
    }

    /** The gradient array the next step reads. */
    public float[] grad() {
        return grad;
    }

    /** Uses {@code grad} (not copied) as this parameter's gradient; its length is checked at the next step. */
    public void setGrad(float[] grad) {
        if (grad == null) {
            throw new IllegalArgumentException("grad of " + name + " must not be null");
        }
        this.grad = grad;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", shape=" + Arrays.toString(shape) + ")";
    }
}
