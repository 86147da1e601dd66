package org.w2lab.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Xoshiro256PlusPlusTest {
    /**
     * The reference implementation from state (1, 2, 3, 4): the first output is rotl(1 + 4, 23) + 1 = 5 * 2^23 + 1;
     * the next two follow the reference C code's state update (xoshiro256plusplus.c at prng.di.unimi.it).
     */
    @Test
    void matchesTheReferenceOutputs() {
        Xoshiro256PlusPlus g = new Xoshiro256PlusPlus(1, 2, 3, 4);
        assertEquals(41943041L, g.nextLong());
        assertEquals(58720359L, g.nextLong());
        assertEquals(3588806011781223L, g.nextLong());
    }

    @Test
    void theZeroStateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Xoshiro256PlusPlus(0, 0, 0, 0));
    }
}
