package dev.procpool.protocol;

import dev.procpool.job.Shared;
import dev.procpool.job.WireTypes;
import dev.procpool.job.WorkerLocal;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds the classes a value needs registered to travel, and refuses, in words a user can act on, what cannot travel:
 * from a declared type (a job's task and result types, a function's input and output), before anything is sent, or
 * from a value itself (a job or function object, an input whose declared type says too little). Not thread-safe: one
 * walk, one thread.
 *
 * <p>What travels: boxed primitives, {@code String}, {@code Range}, {@code byte[]}, {@code int[]}, {@code long[]},
 * {@code double[]}, records of what travels, enums, and (in a job or function object, never in a task or result) classes
 * without instance fields. Collections, maps, other arrays and other classes do not: their decoders allocate from a
 * length the sender declares before checking it.
 */
public final class TypeWalk {

    /** Records nest at most this deep; deeper is a mistake, or a cycle. */
    private static final int MAX_DEPTH = 32;

    /** The classes found, in the order found; registering them in this order gives stable ids. */
    private final Set<Class<?>> classes = new LinkedHashSet<>();
    /** Whether part of the declared type is known only from each value (an {@code Object} or interface component). */
    private boolean open;
    /** The shared values a job or function object holds, in the order found. */
    private final Set<SharedValue<?>> shares = new LinkedHashSet<>();

    /** The classes found so far, in order. */
    public Set<Class<?>> classes() {
        return classes;
    }

    /** The shared values a walked job or function holds: each worker must have them before it. */
    public Set<SharedValue<?>> shares() {
        return shares;
    }

    /** Whether some part of a declared type is decided per value: its values must be walked as they come. */
    public boolean open() {
        return open;
    }

    /**
     * Walks a declared task or result type: every record, enum and sealed subtype reachable through record components.
     * A component of type {@code Object}, an unbound type variable or a non-sealed interface makes the walk
     * {@link #open()}.
     *
     * @param what what the type is, for the message: {@code the output type of function Square}
     * @throws IllegalArgumentException naming what cannot travel, where, and what to use instead
     */
    public TypeWalk type(Type type, String what) {
        type(type, Map.of(), what, 0);
        return this;
    }

    private void type(Type type, Map<TypeVariable<?>, Type> bindings, String where, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(where + " nests records deeper than " + MAX_DEPTH);
        }
        Type resolved = TypeArguments.resolve(type, bindings);
        if (resolved instanceof TypeVariable<?> || resolved instanceof WildcardType wildcard
                && wildcard.getUpperBounds()[0] == Object.class) {
            open = true;
            return;
        }
        if (resolved instanceof WildcardType wildcard) {
            type(wildcard.getUpperBounds()[0], bindings, where, depth);
            return;
        }
        if (resolved instanceof GenericArrayType) {
            throw new IllegalArgumentException(where + " is " + resolved.getTypeName() + ", which cannot travel: "
                    + ARRAYS);
        }
        Class<?> raw;
        Map<TypeVariable<?>, Type> inner = Map.of();
        if (resolved instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            inner = new HashMap<>();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length; i++) {
                inner.put(variables[i], TypeArguments.resolve(arguments[i], bindings));
            }
        } else {
            raw = (Class<?>) resolved;
        }
        if (raw.isPrimitive() || WireTypes.STANDARD.contains(raw) || classes.contains(raw)) {
            return;
        }
        if (isHandle(raw)) {
            throw new IllegalArgumentException(where + " is " + resolved.getTypeName() + ": " + HANDLES);
        }
        if (raw.isRecord()) {
            classes.add(raw);
            for (RecordComponent component : raw.getRecordComponents()) {
                type(component.getGenericType(), inner, "component " + component.getName() + " of record "
                        + raw.getName() + " (in " + where + ")", depth + 1);
            }
            return;
        }
        if (raw.isEnum()) {
            classes.add(raw);
            return;
        }
        if (raw.isSealed()) {
            for (Class<?> permitted : raw.getPermittedSubclasses()) {
                type(permitted, Map.of(), where, depth + 1);
            }
            return;
        }
        if (!raw.isArray() && !isRefusedContainer(raw)
                && (raw == Object.class || raw.isInterface() || Modifier.isAbstract(raw.getModifiers()))) {
            open = true; // what travels is whatever class each value has
            return;
        }
        throw new IllegalArgumentException(where + " is " + resolved.getTypeName() + ", which cannot travel between "
                + "processes: " + whyNotData(raw));
    }

    /**
     * Walks a value: registers the class of every record, enum (and, when {@code stateless} is allowed, class without
     * fields) in it, through record components.
     *
     * @param stateless whether classes without fields may appear (in a job or function object; not in a task)
     * @param what what the value is, for the message: {@code function Square}
     * @throws IllegalArgumentException naming what cannot travel, where, and what to use instead
     */
    public TypeWalk value(Object value, boolean stateless, String what) {
        value(value, stateless, what, 0);
        return this;
    }

    private void value(Object value, boolean stateless, String where, int depth) {
        if (value == null) {
            return;
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(where + " nests records deeper than " + MAX_DEPTH);
        }
        Class<?> type = value.getClass();
        if (WireTypes.STANDARD.contains(type)) {
            return;
        }
        if (value instanceof SharedValue<?> || value instanceof WorkerLocal<?>) {
            if (!stateless) {
                throw new IllegalArgumentException(where + " holds " + value + ": " + HANDLES);
            }
            if (value instanceof SharedValue<?> shared) {
                shares.add(shared);
            } else {
                WorkerLocal<?> local = (WorkerLocal<?>) value;
                value(local.setup(), true, "the set-up of " + local + " (in " + where + ")", depth + 1);
            }
            return;
        }
        if (value instanceof Enum<?> constant) {
            classes.add(constant.getDeclaringClass());
            return;
        }
        if (type.isRecord()) {
            boolean seen = !classes.add(type);
            RecordComponent[] components = type.getRecordComponents();
            for (RecordComponent component : components) {
                if (seen && (component.getType().isPrimitive() || WireTypes.STANDARD.contains(component.getType()))) {
                    continue;
                }
                value(read(component, value), stateless, "component " + component.getName() + " of "
                        + type.getName() + " (in " + where + ")", depth + 1);
            }
            return;
        }
        if (stateless && WireKind.isStateless(type)) {
            classes.add(type);
            return;
        }
        String why = stateless ? whyNot(type) : whyNotData(type);
        throw new IllegalArgumentException(depth == 0 ? where + " cannot travel between processes: " + why
                : where + " is a " + type.getTypeName() + ", which cannot travel between processes: " + why);
    }

    private static Object read(RecordComponent component, Object record) {
        Method accessor = component.getAccessor();
        try {
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (InaccessibleObjectException e) {
            throw new IllegalArgumentException(ModuleAccess.refusal(record.getClass(), e), e);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new IllegalArgumentException("cannot read component " + component.getName() + " of "
                    + record.getClass().getName() + ": " + cause, cause);
        }
    }

    private static final String ARRAYS = "arrays other than byte[], int[], long[] and double[] do not travel, since "
            + "their decoders allocate from a length the sender declares before checking it; hold the data in "
            + "byte[], int[], long[] or double[], or a record of them";

    private static final String DATA = "tasks and results travel as records, enums, boxed primitives, String, Range, "
            + "byte[], int[], long[] and double[]";

    private static final String HANDLES = "a Shared or WorkerLocal handle travels inside a job or function (as a record "
            + "component), never as a task or a result";

    private static boolean isHandle(Class<?> type) {
        return Shared.class.isAssignableFrom(type) || type == WorkerLocal.class;
    }

    private static boolean isRefusedContainer(Class<?> type) {
        return Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }

    /** Why a task or result of this class cannot travel, and what to use. */
    public static String whyNotData(Class<?> type) {
        if (type.isArray()) {
            return ARRAYS;
        }
        if (isRefusedContainer(type)) {
            return "collections and maps do not travel, since their decoders allocate from a length the sender "
                    + "declares before checking it; hold the data in byte[], int[], long[] or double[], or a record of "
                    + "them (" + DATA + ")";
        }
        return DATA + "; make it a record";
    }

    /** Why a job, a function, or something in one, of this class cannot travel, and what to do. */
    public static String whyNot(Class<?> type) {
        if (type.isHidden() || type.isSynthetic()) {
            return "a lambda or method reference does not travel: write a record (or a class without fields) that "
                    + "implements the interface, with its configuration as record components";
        }
        if (type.isArray() && isHandle(type.getComponentType())) {
            return "an array of Shared or WorkerLocal handles does not travel: hold each handle as a record component";
        }
        if (type.isArray() || isRefusedContainer(type)) {
            return whyNotData(type);
        }
        if (type == Object.class || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return "a plain Object, an interface or an abstract class says nothing of what to make on the other side: "
                    + "use a record, or a concrete class without fields";
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()) || type.isAnonymousClass()
                && WireKind.instanceField(type) != null || type.isLocalClass() && WireKind.instanceField(type) != null) {
            return "an inner, local or anonymous class holds its enclosing instance or what it captured, which would "
                    + "not travel: make it a record, or a static nested class without fields";
        }
        if (WireKind.instanceField(type) != null) {
            return "a class with instance fields (" + WireKind.instanceField(type).getName() + ") would arrive without "
                    + "them: make it a record whose components hold its configuration";
        }
        return "a class without fields travels as its name and is made again by its no-argument constructor, which "
                + "it lacks: give it one";
    }
}
