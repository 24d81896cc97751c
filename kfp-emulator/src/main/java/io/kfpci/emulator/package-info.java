/**
 * A strict, in-memory KFP 2.17 API server (REST v2beta1) for tests: {@link io.kfpci.emulator.KfpEmulator}.
 *
 * <p>Use it with test scope; it is never shipped and depends on nothing of ours (kfp-core's tests may
 * use it). Its public surface:
 * <ul>
 *   <li>{@link io.kfpci.emulator.KfpEmulator}: {@code start()}, {@code builder()}, {@code baseUrl()},
 *       {@code state()}, {@code close()};</li>
 *   <li>{@link io.kfpci.emulator.EmulatorState}: snapshots of what the server holds, the request log
 *       (never a header value) and the swagger violations;</li>
 *   <li>{@link io.kfpci.emulator.RunExecutor}: how runs progress (the part Argo and the persistence
 *       agent play), with {@link io.kfpci.emulator.ScriptedRunExecutor} as the default and reports in
 *       {@link io.kfpci.emulator.WorkflowReport}s of {@link io.kfpci.emulator.WorkflowNode}s;</li>
 *   <li>{@link io.kfpci.emulator.FaultPlan}: deterministic failures.</li>
 * </ul>
 * Everything under {@code internal} may change without notice.
 */
package io.kfpci.emulator;
