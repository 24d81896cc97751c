/**
 * Plumbing between Jenkins and kfp-core. The {@code Agent*} classes are remote calls: each is
 * serialised by the controller, runs on the agent holding the workspace, calls kfp-core there, and
 * returns plain serialisable values (strings, numbers); core errors become {@link
 * hudson.AbortException}s with the core's message (file:line for pipeline problems). Nothing here
 * is persisted by a build.
 */
package io.jenkins.plugins.kfp.internal;
