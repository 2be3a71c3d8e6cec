package dev.cxr.model.classifier;

import dev.cxr.engine.CxrException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import java.lang.reflect.Array;
import java.nio.file.Path;

/**
 * The root attributes of a model file read with their types checked: a missing attribute or one of
 * another type (longs where strings belong, a string where a number does) is one line naming the
 * file, the attribute, what was expected and what it holds, never a ClassCastException.
 */
record RootAttributes(HdfFile h5, Path file) {

    private Object attr(String name) {
        Attribute a = h5.getAttribute(name);
        if (a == null || a.getData() == null) {
            throw new CxrException(file + " is a damaged cxr model file: attribute " + name + " is missing");
        }
        return a.getData();
    }

    String string(String name) {
        Object d = attr(name);
        if (d instanceof String s) {
            return s;
        }
        if (d instanceof String[] a && a.length == 1) {
            return a[0];
        }
        throw wrongType(name, "a string", d);
    }

    String[] strings(String name) {
        Object d = attr(name);
        if (d instanceof String[] a) {
            return a;
        }
        throw wrongType(name, "an array of strings", d);
    }

    int[] ints(String name, int length) {
        Object d = attr(name);
        if (d instanceof int[] a && a.length == length) {
            return a;
        }
        throw wrongType(name, length + " int32 values", d);
    }

    long[] longs(String name, int length) {
        Object d = attr(name);
        if (d instanceof long[] a && a.length == length) {
            return a;
        }
        throw wrongType(name, length + " int64 value" + (length == 1 ? "" : "s"), d);
    }

    private CxrException wrongType(String name, String expected, Object found) {
        String what = found.getClass().isArray()
                ? Array.getLength(found) + " "
                        + found.getClass().getComponentType().getSimpleName() + " value(s)"
                : "a " + found.getClass().getSimpleName();
        return new CxrException(file + " is a damaged cxr model file: attribute " + name + " should be " + expected
                + ", it holds " + what);
    }
}
