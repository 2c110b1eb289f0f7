package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's LambdaLR ({@code lr = base * lambda(t)}) and MultiplicativeLR ({@code lr = lr * lambda(t)}
 * for t > 0). MultiplicativeLR has no closed form ({@link Curve#running}): its {@link #lrAt} multiplies
 * the t factors (O(t)).
 */
final class LambdaLR extends BasicScheduler {
    private final LrLambda[] lambdas;
    private final boolean multiplicativeForm;
    private final Curve[] curves;

    LambdaLR(ParamGroups groups, LrLambda[] lambdas, boolean multiplicativeForm) {
        super(groups);
        this.lambdas = lambdas;
        this.multiplicativeForm = multiplicativeForm;
        this.curves = new Curve[n];
        for (int g = 0; g < n; g++) {
            int group = g;
            curves[g] = multiplicativeForm
                    ? Curve.running(t -> factor(group, t), String.valueOf(lambdas[g]))
                    : Curve.of((t, base) -> base * factor(group, (long) t), "lambda_factor(" + lambdas[g] + ")");
        }
    }

    @Override
    Curve curve(int g) {
        return curves[g];
    }

    /** MultiplicativeLR continues from the lr the group held when it was attached. */
    @Override
    double curveBase(int g) {
        return multiplicativeForm ? attachLrs[g] : baseLrs[g];
    }

    @Override
    boolean chainable() {
        return multiplicativeForm;
    }

    @Override
    public String name() {
        return multiplicativeForm ? "MultiplicativeLR" : "LambdaLR";
    }

    private double factor(int g, long t) {
        double f = lambdas[g].apply(t);
        if (!Double.isFinite(f)) {
            throw new IllegalStateException(name() + ": lr_lambda for group " + g + " returned " + f + " at step " + t
                    + " (it must return a finite factor)");
        }
        return f;
    }

    @Override
    double next(int g, long t, double lr) {
        if (!multiplicativeForm) {
            return baseLrs[g] * factor(g, t);
        }
        return t > 0 ? lr * factor(g, t) : lr;
    }

    /**
     * Neither class has a closed form in PyTorch: step(epoch) runs get_lr(). PyTorch 2.x's MultiplicativeLR
     * multiplies at every step but its initial one ({@code _is_initial}, PR #149312), so {@code step(0)} and
     * SequentialLR's hand-over at a milestone multiply by {@code lr_lambda(0)} (1.13 kept the lr at epoch 0).
     */
    @Override
    double jump(int g, long t, double lr) {
        return multiplicativeForm ? lr * factor(g, t) : next(g, t, lr);
    }

    /** A later phase of SequentialLR: PyTorch 2.x multiplies the lr reached by {@code lr_lambda(0)} at the milestone. */
    @Override
    Curve scheduleAfterRestart(int g) {
        if (!multiplicativeForm) {
            return schedule(g);
        }
        int group = g;
        return Curve.continuing((t, start) -> {
            double v = start * factor(group, 0);
            for (long i = 1; i <= (long) Math.floor(t); i++) {
                v *= factor(group, i);
            }
            return v;
        }, "restarted(" + lambdas[g] + ")");
    }

    /** PyTorch 2.x: the initial step of a resumed MultiplicativeLR keeps the lr. */
    @Override
    double initialNext(int g, long t, double lr) {
        return multiplicativeForm ? lr : next(g, t, lr);
    }


    @Override
    void writeHyperParameters(Map<String, Object> out) {
        // The functions are not hyper-parameters that can be compared; see writeExtraState.
    }

    @Override
    void writeExtraState(Map<String, Object> out) {
        List<Object> saved = new ArrayList<>();
        List<Object> notSaved = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            Map<String, Object> s = lambdas[g].state();
            saved.add(s);
            if (s == null) {
                notSaved.add("lr_lambdas[" + g + "]: " + lambdas[g]
                        + " has no state; rebuild the scheduler with the same function before restoring");
            }
        }
        out.put("lr_lambdas", saved);
        if (!notSaved.isEmpty()) {
            out.put("not_saved", notSaved);
        }
    }

    @Override
    Runnable readExtraState(StateReader in) {
        List<?> saved = in.list("lr_lambdas", n);
        for (int g = 0; g < n; g++) {
            Object s = saved.get(g);
            if (s != null && !(s instanceof Map)) {
                throw in.bad("lr_lambdas", "a list of maps or nulls", saved);
            }
            if (s != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) s;
                try {
                    lambdas[g].checkState(m);
                } catch (IllegalArgumentException e) {
                    throw in.bad("lr_lambdas", "the states of this scheduler's functions (lr_lambdas[" + g + "]: "
                            + e.getMessage() + ")", saved);
                }
            } else if (lambdas[g].state() != null && !in.pytorch()) { // PyTorch saves None for a function: it stays
                throw in.bad("lr_lambdas", "a list holding the state of lr_lambdas[" + g + "] (" + lambdas[g] + " has one)",
                        saved);
            }
        }
        return () -> {
            for (int g = 0; g < n; g++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> s = (Map<String, Object>) saved.get(g);
                if (s != null) {
                    lambdas[g].loadState(s);
                }
            }
        };
    }

    @Override
    void describe(Map<String, Object> args) {
        boolean same = true;
        for (LrLambda l : lambdas) {
            same &= l == lambdas[0] || String.valueOf(l).equals(String.valueOf(lambdas[0]));
        }
        args.put("lr_lambda", same ? lambdas[0] : List.of((Object[]) lambdas));
    }
}
