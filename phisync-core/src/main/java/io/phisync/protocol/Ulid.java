package io.phisync.protocol;

import java.security.SecureRandom;

/**
 * Time-ordered ids in the ULID layout: 48 bits of milliseconds and 80 random bits, Crockford
 * base32, 26 characters. Within one millisecond the random part is incremented, so ids of one
 * process sort in the order they were made. Written here because it is thirty lines and a
 * dependency for it would be larger than the code.
 */
final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private static long lastMillis;
  private static long randomHigh; // 16 bits
  private static long randomLow; // 64 bits

  private Ulid() {}

  static synchronized String next() {
    long now = System.currentTimeMillis();
    if (now <= lastMillis) {
      now = lastMillis;
      randomLow++;
      if (randomLow == 0) {
        randomHigh = (randomHigh + 1) & 0xFFFF;
      }
    } else {
      lastMillis = now;
      randomHigh = RANDOM.nextInt(1 << 16);
      randomLow = RANDOM.nextLong();
    }
    char[] out = new char[26];
    long time = now;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits as 16 base32 digits: the high 16 bits and the low 64 bits.
    long low = randomLow;
    long high = randomHigh;
    for (int i = 25; i >= 10; i--) {
      out[i] = ALPHABET[(int) (low & 31)];
      low = (low >>> 5) | ((high & 31) << 59);
      high >>>= 5;
    }
    return new String(out);
  }
}
