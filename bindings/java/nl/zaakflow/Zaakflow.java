package nl.zaakflow;

/**
 * Entry points that belong to no object, and loading of the JNI library.
 *
 * <p>The library {@code libzaakflow_jni.so} is found through
 * {@code -Djava.library.path=...} (it is installed in {@code $libdir/zaakflow}),
 * or named exactly with {@code -Dzaakflow.jni=/path/to/libzaakflow_jni.so}.
 */
public final class Zaakflow {
    private static boolean loaded;

    private Zaakflow() {
    }

    /** Load the JNI library once; called by the generated classes. */
    public static synchronized void loadNative() {
        if (loaded) {
            return;
        }
        String path = System.getProperty("zaakflow.jni");
        if (path != null && !path.isEmpty()) {
            System.load(path);
        } else {
            System.loadLibrary("zaakflow_jni");
        }
        loaded = true;
    }

    /** The C library's version, e.g. "0.1.0". */
    public static String version() {
        return nl.zaakflow.swig.core.version();
    }
}
