package io.phisync.bus;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.DeadLetterStore;
import io.phisync.spi.NackOutcome;
import io.phisync.spi.Transport;
import io.phisync.spi.Wakeup;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The message bus over any {@link Transport}. */
final class DefaultMessageBus implements MessageBus {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultMessageBus.class);
  private static final AtomicLong CONSUMERS = new AtomicLong();

  private final Transport transport;
  private final BusOptions options;

  /** Late responses are rare; looking for them every half minute is plenty. */
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

  private final Map<AgentName, Instant> lastRecovery = new ConcurrentHashMap<>();
  private final Map<AgentName, Instant> lastSweep = new ConcurrentHashMap<>();

  DefaultMessageBus(Transport transport, BusOptions options) {
    this.transport = transport;
    this.options = options;
  }

  /**
   * pid@host of this process, looked up on the first receive: the management API it comes from
   * costs a sender's start-up (a CLI 'send') a hundred classes it never needs.
   */
  private static final class ConsumerPrefix {
    static final String VALUE =
        ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9@._-]", "_");

    private ConsumerPrefix() {}
  }

  @Override
  public BusOptions options() {
    return options;
  }

  @Override
  public Envelope sendRequest(
      AgentName from,
      AgentName to,
      String command,
      @Nullable JsonNode payload,
      @Nullable Duration deadline) {
    OffsetDateTime now = now();
    return send(
        Envelope.builder()
            .type(MessageType.REQUEST)
            .from(from)
            .to(to)
            .timestamp(now)
            .expiresAt(deadline == null ? null : now.plus(deadline))
            .payload(withCommand(command, payload))
            .build());
  }

  @Override
  public Envelope notify(AgentName from, AgentName to, String command, @Nullable JsonNode payload) {
    return send(
        Envelope.builder()
            .type(MessageType.NOTIFICATION)
            .from(from)
            .to(to)
            .timestamp(now())
            .payload(withCommand(command, payload))
            .build());
  }

  private static ObjectNode withCommand(String command, @Nullable JsonNode payload) {
    if (command.isBlank()) {
      throw new IllegalArgumentException("a command must not be blank");
    }
    ObjectNode body;
    if (payload == null || payload.isNull()) {
      body = Json.object();
    } else if (payload.isObject()) {
      body = ((ObjectNode) payload).deepCopy();
    } else {
      throw new IllegalArgumentException(
          "the payload must be a JSON object, got "
              + payload.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    ObjectNode out = Json.object().put("command", command);
    body.properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("command")) {
                out.set(e.getKey(), e.getValue());
              }
            });
    return out;
  }

  @Override
  public Envelope send(Envelope message) {
    String to = message.to();
    if (to == null) {
      throw new IllegalArgumentException("message " + message.id() + " has no recipient ('to')");
    }
    if (message.from() != null) {
      AgentName.of(message.from());
    }
    transport.enqueue(AgentName.of(to), message);
    return message;
  }

  @Override
  public Envelope call(
      AgentName from, AgentName to, String command, @Nullable JsonNode payload, Duration timeout)
      throws InterruptedException {
    Envelope request = sendRequest(from, to, command, payload, timeout);
    return awaitResponse(request, timeout)
        .orElseThrow(
            () ->
                new RequestTimeoutException(
                    "no response from "
                        + to
                        + " to '"
                        + command
                        + "' (request "
                        + request.id()
                        + ") within "
                        + Durations.format(timeout)
                        + "; the request expires and is dead-lettered if "
                        + to
                        + " has not taken it"));
  }

  @Override
  public Optional<Envelope> awaitResponse(Envelope request, Duration wait)
      throws InterruptedException {
    String to = request.to();
    if (to == null) {
      throw new IllegalArgumentException("request " + request.id() + " has no recipient ('to')");
    }
    AgentName responder = AgentName.of(to);
    MessageId id = request.messageId();
    Optional<Envelope> response = transport.takeResponse(responder, id);
    if (response.isPresent() || wait.isZero()) {
      return response;
    }
    long deadline = System.nanoTime() + wait.toNanos();
    try (Wakeup wakeup = transport.watchOutbox(responder)) {
      while (true) {
        response = transport.takeResponse(responder, id);
        long left = deadline - System.nanoTime();
        if (response.isPresent() || left <= 0) {
          return response;
        }
        wakeup.await(Duration.ofNanos(left));
      }
    }
  }

  @Override
  public Optional<Claim> receive(AgentName agent, Duration wait) throws InterruptedException {
    String consumer = ConsumerPrefix.VALUE + "#" + CONSUMERS.incrementAndGet();
    Optional<Claim> claim = next(agent, consumer);
    if (claim.isPresent() || wait.isZero()) {
      return claim;
    }
    long deadline = System.nanoTime() + wait.toNanos();
    try (Wakeup wakeup = transport.watchInbox(agent)) {
      while (true) {
        // The watch is in place before this look, so nothing that arrives now is missed.
        claim = next(agent, consumer);
        long left = deadline - System.nanoTime();
        if (claim.isPresent() || left <= 0) {
          if (claim.isPresent()) {
            wakeup.reset();
          }
          return claim;
        }
        wakeup.await(Duration.ofNanos(left));
      }
    }
  }

  @Override
  public List<Claim> receiveBatch(AgentName agent, int max, Duration wait)
      throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("a batch takes at least 1 message, not " + max);
    }
    Optional<Claim> first = receive(agent, wait);
    if (first.isEmpty()) {
      return List.of();
    }
    List<Claim> batch = new ArrayList<>(Math.min(max, 64));
    batch.add(first.get());
    while (batch.size() < max) {
      Optional<Claim> more = receive(agent, Duration.ZERO);
      if (more.isEmpty()) {
        break;
      }
      batch.add(more.get());
    }
    return batch;
  }

  private Optional<Claim> next(AgentName agent, String consumer) {
    Optional<Claim> claim = claimNext(agent, consumer);
    // Lease recovery and the response sweep run when nothing is waiting, not in front of a message
    // that is: an idle consumer woken by an arrival hands it out first (BENCHMARKS, "Idle wake-up,
    // timed in place"). An inbox that never runs dry still gets them, one interval late.
    if (maintainIfDue(agent, claim.isPresent()) && claim.isEmpty()) {
      claim = claimNext(agent, consumer);
    }
    return claim;
  }

  private Optional<Claim> claimNext(AgentName agent, String consumer) {
    while (true) {
      Optional<Claim> claimed = transport.claim(agent, consumer, options.lease());
      if (claimed.isEmpty()) {
        return claimed;
      }
      Claim claim = claimed.get();
      Envelope message = claim.envelope();
      if (transport.isProcessed(agent, message.messageId())) {
        LOG.debug("{} already processed {}; acknowledging the copy", agent, message.id());
        transport.ack(claim);
        continue;
      }
      if (message.isExpiredAt(now())) {
        transport.deadLetter(claim, "expired at " + message.expiresAt() + " before delivery");
        continue;
      }
      return claimed;
    }
  }

  /**
   * Returns expired claims to the inbox and sweeps unclaimed responses when their interval has
   * passed, or twice their interval when {@code busy} (a message was just handed out); whether
   * recovery returned any message.
   */
  private boolean maintainIfDue(AgentName agent, boolean busy) {
    Instant now = options.clock().instant();
    boolean returned = false;
    Instant last = lastRecovery.get(agent);
    if (isDue(last, options.recoveryInterval(), busy, now)) {
      lastRecovery.put(agent, now);
      int moved = transport.recoverExpired(agent, options.maxAttempts());
      if (moved > 0) {
        LOG.info("returned {} message(s) of {} whose leases ran out", moved, agent);
        returned = true;
      }
    }
    Instant swept = lastSweep.get(agent);
    if (isDue(swept, SWEEP_INTERVAL, busy, now)) {
      // The responder's own loop clears the responses its requesters gave up on.
      lastSweep.put(agent, now);
      int gone = transport.sweepResponses(agent);
      if (gone > 0) {
        LOG.info(
            "moved {} response(s) of {} that nobody waited for to outbox/expired", gone, agent);
      }
    }
    return returned;
  }

  /**
   * Whether {@code interval} has passed since {@code last} (never: due), or twice {@code interval}
   * when {@code busy}. By addition: {@code Duration.multipliedBy} computes in BigDecimal, and this
   * runs for every message handed out.
   */
  private static boolean isDue(
      @Nullable Instant last, Duration interval, boolean busy, Instant now) {
    if (last == null) {
      return true;
    }
    Instant due = last.plus(interval);
    return !(busy ? due.plus(interval) : due).isAfter(now);
  }

  @Override
  public Optional<Claim> findClaim(AgentName agent, MessageId id) {
    return transport.findClaim(agent, id);
  }

  @Override
  public Claim renew(Claim claim) {
    return transport.renew(claim, options.lease());
  }

  @Override
  public void ack(Claim claim) {
    transport.ack(claim);
  }

  @Override
  public void ackAll(Collection<Claim> claims) {
    transport.ackAll(claims);
  }

  @Override
  public NackOutcome nack(Claim claim, String reason) {
    return transport.nack(claim, reason, options.maxAttempts());
  }

  @Override
  public Envelope reply(Claim request, @Nullable JsonNode payload) {
    return respond(request, payload == null ? Json.object() : payload, null);
  }

  @Override
  public Envelope replyError(Claim request, String error) {
    return respond(request, Json.object().put("error", error), Map.of("status", "error"));
  }

  private Envelope respond(Claim request, JsonNode payload, @Nullable Map<String, String> headers) {
    Envelope original = request.envelope();
    String replyTo = original.replyTo() != null ? original.replyTo() : original.from();
    Envelope response =
        Envelope.builder()
            .type(MessageType.RESPONSE)
            .from(request.agent())
            .to(replyTo == null ? null : AgentName.of(replyTo))
            .timestamp(now())
            .correlationId(original.id())
            .causationId(original.id())
            .expiresAt(original.expiresAt())
            .headers(headers)
            .payload(payload)
            .build();
    transport.respond(request.agent(), response);
    transport.ack(request);
    return response;
  }

  @Override
  public DeadLetterStore deadLetters() {
    return transport.deadLetters();
  }

  @Override
  public Transport transport() {
    return transport;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(options.clock());
  }

  @Override
  public void close() {
    transport.close();
  }
}
