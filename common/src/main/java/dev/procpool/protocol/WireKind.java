package dev.procpool.protocol;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * How a class of the user's travels once it is registered: a record component by component, an enum as an ordinal,
 * and a class with no instance fields as its class alone, made again on the other side by its no-argument
 * constructor. Anything else has no bounded encoding, and is refused (see {@link #of}). Immutable.
 */
public enum WireKind {
    /** Its components in order, read back through its canonical constructor. */
    RECORD,
    /** Its ordinal, checked against the constants. */
    ENUM,
    /**
     * Nothing but its class: it has no instance fields, so any instance is as good as another, and the reader makes
     * one with its no-argument constructor. A job or a function without configuration; never a task or a result.
     */
    STATELESS;

    /**
     * The kind of {@code type}, or null if it has none: an interface, an abstract class, an array, a lambda, or a class
     * with instance fields or without a no-argument constructor. Standard types are not asked about here.
     */
    public static WireKind of(Class<?> type) {
        if (type.isRecord()) {
            return RECORD;
        }
        if (type.isEnum()) {
            return ENUM;
        }
        return isStateless(type) ? STATELESS : null;
    }

    /** A concrete class, not hidden (a lambda's class is), with no instance fields and a no-argument constructor. */
    static boolean isStateless(Class<?> type) {
        if (type == Object.class || type.isInterface() || type.isArray() || type.isPrimitive() || type.isHidden()
                || type.isSynthetic() || Modifier.isAbstract(type.getModifiers())) {
            return false;
        }
        if (instanceField(type) != null) {
            return false;
        }
        try {
            type.getDeclaredConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The first instance field of {@code type} or a superclass below {@code Object}, or null if it has none. */
    public static Field instanceField(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    return field;
                }
            }
        }
        return null;
    }
}
