package io.phisync.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void delays_growByTheCoefficientUpToTheMaximum() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .initialInterval(Duration.ofMillis(100))
            .backoffCoefficient(3)
            .maximumInterval(Duration.ofSeconds(1))
            .build();
    assertThat(policy.delayBefore(1)).isZero();
    assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofMillis(300));
    assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofMillis(900));
    assertThat(policy.delayBefore(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayBefore(500)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void nonRetryable_includesSubtypes() {
    RetryPolicy policy = RetryPolicy.builder().nonRetryable(RuntimeException.class).build();
    assertThat(policy.isNonRetryable(new UncheckedIOException(new IOException("x")))).isTrue();
    assertThat(policy.isNonRetryable(new IOException("x"))).isFalse();
  }

  @Test
  void invalidSettings_areRefusedNamingTheField() {
    assertThatThrownBy(() -> RetryPolicy.builder().maximumAttempts(0).build())
        .hasMessageContaining("maximumAttempts");
    assertThatThrownBy(() -> RetryPolicy.builder().backoffCoefficient(0.5).build())
        .hasMessageContaining("backoffCoefficient");
  }
}
