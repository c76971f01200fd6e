package dev.procpool.protocol;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The type arguments a class gives a generic interface or superclass it implements, as far as its declaration says:
 * {@code class SqrtJob implements RangeJob<Double>} gives {@code Job} the arguments {@code Range} and {@code Double}.
 * Stateless.
 */
public final class TypeArguments {

    private TypeArguments() {
    }

    /**
     * The arguments {@code type} gives to the type parameters of {@code target}, in order; an argument the declarations
     * leave open is a {@link TypeVariable}. Null if {@code type} does not extend or implement {@code target}.
     */
    public static Type[] of(Class<?> type, Class<?> target) {
        return find(type, target, Map.of());
    }

    private static Type[] find(Type type, Class<?> target, Map<TypeVariable<?>, Type> outer) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        if (type instanceof Class<?> plain) {
            raw = plain;
        } else if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length; i++) {
                bindings.put(variables[i], resolve(arguments[i], outer));
            }
        } else {
            return null;
        }
        if (raw == target) {
            TypeVariable<?>[] variables = target.getTypeParameters();
            Type[] resolved = new Type[variables.length];
            for (int i = 0; i < variables.length; i++) {
                resolved[i] = bindings.getOrDefault(variables[i], variables[i]);
            }
            return resolved;
        }
        List<Type> supertypes = new ArrayList<>(List.of(raw.getGenericInterfaces()));
        if (raw.getGenericSuperclass() != null) {
            supertypes.add(raw.getGenericSuperclass());
        }
        for (Type supertype : supertypes) {
            Type[] found = find(supertype, target, bindings);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** {@code type} with a variable bound in {@code bindings} replaced by what it is bound to. */
    static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable<?> variable && bindings.containsKey(variable)) {
            return bindings.get(variable);
        }
        return type;
    }
}
