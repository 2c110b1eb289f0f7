/**
 * The schedules of Hugging Face transformers and timm and PyTorch's CPU random generator, as
 * pure value functions that reproduce those libraries' numbers (tested against traces their own code produced).
 *
 * <p>{@link io.github.lr4j.peers.HfSchedules}: the multiplier of every {@code transformers.get_scheduler} type.
 * {@link io.github.lr4j.peers.TimmSchedule}: timm's {@code _get_lr(t)} of the cosine, tanh, step, multistep and
 * poly schedulers, noise included; {@link io.github.lr4j.peers.TimmPlateau}: timm's plateau scheduler (stateful,
 * as it wraps torch's ReduceLROnPlateau).
 * {@link io.github.lr4j.peers.TorchGenerator}: {@code torch.Generator()} with {@code rand}/{@code randn}.
 *
 * <p>These are building blocks: nothing here is bound to param groups or to the schedule language yet.
 */
package io.github.lr4j.peers;
