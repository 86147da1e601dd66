package org.w2lab.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads an experiment config (HOCON, docs/configs.md): {@code experiment}, {@code description},
 * {@code params} (values shared by every grid block) and {@code grid} (one block or a list of blocks whose
 * expansions are concatenated). A value is a scalar, a list (a grid axis), {@code {linspace = [from, to, num]}} or
 * {@code {logspace = [from, to, num]}}; a block may hold {@code zip {key = [...], ...}}, axes that advance
 * together. {@code --set key=value} overrides a key everywhere. Every problem is collected and reported at once,
 * naming the file and line, the key, the value and what is allowed.
 */
public final class ConfigLoader {
    private static final Set<String> TOP_LEVEL = Set.of("experiment", "description", "params", "grid");
    private static final Pattern EXPERIMENT_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
    private static final String ZIP = "zip";
    /**
     * Driver heap per grid point that a config may expand to: the driver holds each configuration of a run (under
     * 512 bytes measured, with a million in 512 MB) and needs room beside them (docs/configs.md, "Grid size").
     */
    static final long BYTES_PER_POINT = 1024;

    private final List<String> problems = new ArrayList<>();
    private final Path file;

    private ConfigLoader(Path file) {
        this.file = file;
    }

    /**
     * Parses a config file with overrides and expands its grid into raw parameter points.
     *
     * @param file      the config file
     * @param overrides {@code key=value} strings (HOCON values: {@code eps=1e-3}, {@code eps=[0, 1e-3]})
     * @throws ConfigException listing every problem found
     */
    public static RawExperiment parse(Path file, List<String> overrides) {
        ConfigLoader loader = new ConfigLoader(file);
        RawExperiment result = loader.read(overrides);
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(loader.problems);
        }
        return result;
    }

    private RawExperiment read(List<String> overrides) {
        if (!Files.isRegularFile(file)) {
            problems.add(file + ": config file not found");
            return null;
        }
        missingIncludes(file, new HashSet<>());
        if (!problems.isEmpty()) {
            return null;
        }
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(file + ": " + e.getMessage());
            return null;
        }
        for (String key : config.root().keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                problems.add(where(config.root().get(key).origin()) + "unknown top-level key '" + key
                        + "'" + DidYouMean.suggest(key, TOP_LEVEL) + "; allowed: " + TOP_LEVEL);
            }
        }
        String experiment = null;
        if (!config.hasPath("experiment")) {
            problems.add(file + ": key 'experiment' is missing: give the experiment a name");
        } else {
            ConfigValue v = config.getValue("experiment");
            Object name = v.unwrapped();
            if (!(name instanceof String) || !EXPERIMENT_NAME.matcher((String) name).matches()) {
                problems.add(where(v.origin()) + "key 'experiment' = " + name
                        + ": allowed letters, digits, '_', '.', '-' (at most 100, not starting with '.' or '-')");
            } else {
                experiment = (String) name;
            }
        }
        String description = config.hasPath("description") ? config.getValue("description").unwrapped().toString() : "";

        Map<Param, Axis> shared = config.hasPath("params") ? block(config.getValue("params"), false).axes
                : new LinkedHashMap<>();
        List<Block> blocks = new ArrayList<>();
        if (!config.hasPath("grid")) {
            blocks.add(new Block());
        } else {
            ConfigValue grid = config.getValue("grid");
            if (grid.valueType() == ConfigValueType.LIST) {
                for (ConfigValue b : (ConfigList) grid) {
                    blocks.add(block(b, true));
                }
                if (blocks.isEmpty()) {
                    problems.add(where(grid.origin()) + "key 'grid' is an empty list: give at least one block");
                }
            } else {
                blocks.add(block(grid, true));
            }
        }
        for (String override : overrides) {
            applyOverride(override, shared, blocks);
        }
        List<List<List<Axis>>> dimensions = new ArrayList<>();
        for (Block b : blocks) {
            dimensions.add(dimensions(shared, b));
        }
        List<RawExperiment.Point> points;
        long heap = Runtime.getRuntime().maxMemory();
        try {
            points = new GridPoints(dimensions, heap / BYTES_PER_POINT);
        } catch (IllegalArgumentException tooMany) {
            problems.add(file + ": the grid expands to " + tooMany.getMessage() + " configurations; allowed at most "
                    + heap / BYTES_PER_POINT + " with this driver's " + heap / (1 << 20) + " MB of heap (about "
                    + BYTES_PER_POINT + " bytes each): give the driver more (W2LAB_JAVA_OPTS=-Xmx..., or "
                    + "spark-submit --driver-memory) or split the grid into several experiments");
            points = List.of();
        }
        return new RawExperiment(file, experiment, description, points);
    }

    private void applyOverride(String override, Map<Param, Axis> shared, List<Block> blocks) {
        int eq = override.indexOf('=');
        String location = "--set " + override;
        if (eq <= 0) {
            problems.add(location + ": expected key=value");
            return;
        }
        String key = override.substring(0, eq).strip();
        Optional<Param> param = Param.byKey(key);
        if (param.isEmpty()) {
            problems.add(location + ": unknown key '" + key + "'" + DidYouMean.suggest(key, Param.keys())
                    + "; allowed: " + Param.keys());
            return;
        }
        ConfigValue value;
        try {
            value = ConfigFactory.parseString("v = " + override.substring(eq + 1)).getValue("v");
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(location + ": cannot parse the value: " + e.getMessage());
            return;
        }
        Axis axis = axis(param.get(), value, location);
        if (axis == null) {
            return;
        }
        shared.put(param.get(), axis);
        for (Block b : blocks) {
            b.axes.remove(param.get());
            b.zip.remove(param.get());
        }
    }

    /** The axes of one block, in the order written. */
    private static final class Block {
        final Map<Param, Axis> axes = new LinkedHashMap<>();
        final Map<Param, Axis> zip = new LinkedHashMap<>();
    }

    private Block block(ConfigValue value, boolean allowZip) {
        Block b = new Block();
        if (value.valueType() != ConfigValueType.OBJECT) {
            problems.add(where(value.origin()) + "expected an object of key = value(s), got " + value.valueType());
            return b;
        }
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) value).entrySet()) {
            String key = e.getKey();
            if (allowZip && ZIP.equals(key)) {
                zip(e.getValue(), b);
                continue;
            }
            Optional<Param> param = Param.byKey(key);
            if (param.isEmpty()) {
                problems.add(where(e.getValue().origin()) + "unknown key '" + key + "'"
                        + DidYouMean.suggest(key, Param.keys()) + "; allowed: " + Param.keys()
                        + (allowZip ? " and zip" : ""));
                continue;
            }
            Axis axis = axis(param.get(), e.getValue(), where(e.getValue().origin()).replaceFirst(": $", ""));
            if (axis != null) {
                b.axes.put(param.get(), axis);
            }
        }
        return b;
    }

    private void zip(ConfigValue value, Block b) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            problems.add(where(value.origin()) + "key 'zip' must be an object of key = [values], got "
                    + value.valueType());
            return;
        }
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) value).entrySet()) {
            Optional<Param> param = Param.byKey(e.getKey());
            if (param.isEmpty()) {
                problems.add(where(e.getValue().origin()) + "unknown key '" + e.getKey() + "' in zip"
                        + DidYouMean.suggest(e.getKey(), Param.keys()) + "; allowed: " + Param.keys());
                continue;
            }
            Axis axis = axis(param.get(), e.getValue(), where(e.getValue().origin()).replaceFirst(": $", ""));
            if (axis != null) {
                b.zip.put(param.get(), axis);
            }
        }
        Map<String, Integer> lengths = new TreeMap<>();
        b.zip.forEach((p, a) -> lengths.put(p.key(), a.values().size()));
        if (new HashSet<>(lengths.values()).size() > 1) {
            problems.add(where(value.origin()) + "zip keys need the same number of values, got " + lengths);
            b.zip.clear();
        }
    }

    /** Parses a scalar, list, linspace or logspace; checks each value's type and range. */
    private Axis axis(Param param, ConfigValue value, String location) {
        List<Object> values = new ArrayList<>();
        switch (value.valueType()) {
            case LIST:
                for (ConfigValue v : (ConfigList) value) {
                    values.add(v.unwrapped());
                }
                if (values.isEmpty()) {
                    problems.add(location + ": key '" + param.key() + "' is an empty list");
                    return null;
                }
                break;
            case OBJECT:
                if (!range((ConfigObject) value, param, location, values)) {
                    return null;
                }
                break;
            default:
                values.add(value.unwrapped());
        }
        boolean ok = true;
        for (int i = 0; i < values.size(); i++) {
            Object v = normalize(param, values.get(i));
            values.set(i, v);
            Optional<String> problem = param.check(v);
            if (problem.isPresent()) {
                problems.add(location + ": key '" + param.key() + "' = " + v + ": " + problem.get());
                ok = false;
            }
        }
        return ok ? new Axis(param, List.copyOf(values), location) : null;
    }

    /** Whole doubles become integers for integer keys; integers become doubles for number keys. */
    private static Object normalize(Param param, Object v) {
        if (param.type() == Param.Type.INT && v instanceof Double && ((Double) v) == Math.rint((Double) v)
                && Math.abs((Double) v) < 1e15) {
            return ((Double) v).longValue();
        }
        if (param.type() == Param.Type.DOUBLE && (v instanceof Integer || v instanceof Long)) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof Integer) {
            return ((Integer) v).longValue();
        }
        return v;
    }

    private boolean range(ConfigObject object, Param param, String location, List<Object> out) {
        if (object.size() != 1 || !(object.containsKey("linspace") || object.containsKey("logspace"))) {
            problems.add(location + ": key '" + param.key() + "': an object value must be {linspace = [from, to, num]}"
                    + " or {logspace = [from, to, num]}, got keys " + object.keySet());
            return false;
        }
        boolean log = object.containsKey("logspace");
        String kind = log ? "logspace" : "linspace";
        Object spec = object.get(kind).unwrapped();
        if (param.type() == Param.Type.STRING || !(spec instanceof List<?> list) || list.size() != 3
                || !(list.get(0) instanceof Number) || !(list.get(1) instanceof Number)
                || !(list.get(2) instanceof Integer) || (Integer) list.get(2) < 1) {
            problems.add(location + ": key '" + param.key() + "' = {" + kind + " = " + spec + "}: allowed [from, to, num]"
                    + " with numbers from, to and an integer num >= 1, for a numeric key");
            return false;
        }
        double from = ((Number) list.get(0)).doubleValue();
        double to = ((Number) list.get(1)).doubleValue();
        int num = (Integer) list.get(2);
        if (log && !(from > 0 && to > 0)) {
            problems.add(location + ": key '" + param.key() + "' = {logspace = " + spec + "}: from and to must be > 0");
            return false;
        }
        Set<Object> distinct = new LinkedHashSet<>();
        for (int i = 0; i < num; i++) {
            double f = num == 1 ? 0 : (double) i / (num - 1);
            double v = i == num - 1 ? to : log ? from * Math.pow(to / from, f) : from + (to - from) * f;
            if (i == 0) {
                v = from;
            }
            distinct.add(param.type() == Param.Type.INT ? (Object) Math.round(v) : (Object) v);
        }
        out.addAll(distinct);
        return true;
    }

    /**
     * A block's dimensions, slowest first: the shared axes it does not set, its own axes, then its zip group (one
     * dimension whose axes step together).
     */
    private static List<List<Axis>> dimensions(Map<Param, Axis> shared, Block block) {
        List<List<Axis>> dims = new ArrayList<>();
        for (Map.Entry<Param, Axis> e : shared.entrySet()) {
            if (!block.axes.containsKey(e.getKey()) && !block.zip.containsKey(e.getKey())) {
                dims.add(List.of(e.getValue()));
            }
        }
        for (Axis a : block.axes.values()) {
            dims.add(List.of(a));
        }
        if (!block.zip.isEmpty()) {
            dims.add(new ArrayList<>(block.zip.values()));
        }
        return dims;
    }

    /** An include statement: {@code include "f"}, {@code include file("f")}, {@code include required(...)}. */
    private static final Pattern INCLUDE = Pattern.compile(
            "^\\s*include\\s+(?:required\\(\\s*)?(?:file\\(\\s*)?\"([^\"]+)\"");

    /**
     * Every file a config includes must exist, as with HOCON's {@code include required(...)}: HOCON's plain include
     * of a missing file is silently empty, which would run a different grid than the one written. Each missing file
     * is a problem naming the including file and line; included files are checked in turn.
     */
    private void missingIncludes(Path config, Set<Path> seen) {
        if (!seen.add(config.toAbsolutePath().normalize())) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(config);
        } catch (java.io.IOException e) {
            problems.add(config + ": cannot read (" + e.getMessage() + ")");
            return;
        }
        for (int i = 0; i < lines.size(); i++) {
            var m = INCLUDE.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            Path included = config.toAbsolutePath().getParent().resolve(m.group(1));
            if (!Files.isRegularFile(included)) {
                problems.add(config + ":" + (i + 1) + ": include of '" + m.group(1) + "': no such file " + included);
            } else {
                missingIncludes(included, seen);
            }
        }
    }

    private static String where(ConfigOrigin origin) {
        String name = origin.filename() != null ? origin.filename() : origin.description();
        return origin.lineNumber() > 0 ? name + ":" + origin.lineNumber() + ": " : name + ": ";
    }
}
