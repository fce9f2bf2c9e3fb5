/**
 * Durable workflows: definitions (YAML, JSON or the Java builder), their validation, and the engine
 * that runs them over the shared directory, journaling every decision before it acts on it. Start
 * at {@link io.phisync.workflow.Workflows}.
 */
@NullMarked
package io.phisync.workflow;

import org.jspecify.annotations.NullMarked;
