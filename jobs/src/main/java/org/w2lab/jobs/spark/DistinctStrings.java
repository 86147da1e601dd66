package org.w2lab.jobs.spark;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.util.AccumulatorV2;

/** The distinct strings the tasks added (a set: a retried task adds nothing new), e.g. each executor's BLAS. */
public final class DistinctStrings extends AccumulatorV2<String, Set<String>> {
    private final TreeSet<String> seen = new TreeSet<>();

    @Override
    public boolean isZero() {
        return seen.isEmpty();
    }

    @Override
    public DistinctStrings copy() {
        DistinctStrings copy = new DistinctStrings();
        copy.seen.addAll(seen);
        return copy;
    }

    @Override
    public void reset() {
        seen.clear();
    }

    @Override
    public void add(String value) {
        seen.add(value);
    }

    @Override
    public void merge(AccumulatorV2<String, Set<String>> other) {
        seen.addAll(other.value());
    }

    @Override
    public Set<String> value() {
        return Collections.unmodifiableSet(seen);
    }
}
