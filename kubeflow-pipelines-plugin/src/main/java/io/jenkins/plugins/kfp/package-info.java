/**
 * Kubeflow Pipelines for Jenkins: a thin binding over kfp-core. Steps and builders are
 * configuration beans; all behaviour (compiling, validating, running and watching pipelines) is in
 * kfp-core and runs on the agent through remote calls ({@link io.jenkins.plugins.kfp.internal}).
 * Third-party types (Jackson, protobuf) never appear in this plugin's public signatures.
 */
package io.jenkins.plugins.kfp;
