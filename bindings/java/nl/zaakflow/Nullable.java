package nl.zaakflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * This parameter may be null, with the meaning its method documents (no actor, no
 * roles, no parameters). Every other parameter of the public API refuses null with a
 * {@link NullPointerException} that names it; the binding's tests check both by
 * reflection.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Nullable {
}
