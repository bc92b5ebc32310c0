package io.sluice.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one component of a plugin's config record as a config field: {@code sluice plugins} lists the annotated
 * components, in declaration order ({@link ConfigField#of}). A component without it is not a field a binding sets
 * (e.g. a key an instance reads from its files when it creates the interceptor).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ConfigDoc {

    /** What the field does. */
    String value();

    /** The field's name in the binding; the component's name when empty (e.g. {@code char}, a Java keyword). */
    String name() default "";

    /** A short type description, e.g. {@code map<string,string>}; derived from the component's type when empty. */
    String type() default "";

    boolean required() default false;

    /** The default, as a binding would write it; none when empty. */
    String defaultValue() default "";

    /**
     * Whether the field's value is secret: {@code bindings diff} and {@code bindings list} show it as
     * {@code <redacted>} ({@link ConfigField#secret}).
     */
    boolean secret() default false;
}
