/*
 * bindings/java/zaakflow_java.i -- the Java-only parts of the binding: the
 * low-level package nl.zaakflow.swig (module class `core`). The public API is
 * the hand-written facade in nl.zaakflow (Definition, Case, Deadline, ...).
 *
 *   zf_error *err   -> thrown nl.zaakflow.ZaakflowException subclass
 *   zf_date         -> int, the day number (days since 1970-01-01), which is
 *                      exactly java.time.LocalDate.toEpochDay(); ZF_DATE_NONE
 *                      is Integer.MIN_VALUE
 *   zf_duration     -> String ("6w")
 *   zf_buf *out     -> a StringBuilder argument the text is appended to
 *   enums, zf_code  -> int constants
 */
%module core

%include <enumtypeunsafe.swg>
%javaconst(1);

/* C members named like Java keywords. */
#pragma SWIG nowarn=314

/* Proxies are freed by the facade (close() or a java.lang.ref.Cleaner), in an
 * order that keeps every definition alive while its cases live; no finalizers.
 * getCPtr and the pointer constructor are public for the facade. */
%typemap(javafinalize) SWIGTYPE ""
SWIG_JAVABODY_PROXY(public, public, SWIGTYPE)
SWIG_JAVABODY_TYPEWRAPPER(public, public, public, SWIGTYPE)

%pragma(java) jniclasscode=%{
  static {
    nl.zaakflow.Zaakflow.loadNative();
  }
%}

%{
#include <jni.h>
#include "zaakflow.h"

/* A Java String from UTF-8 text (NewStringUTF wants modified UTF-8). */
static jstring zfj_string(JNIEnv *env, const char *s, size_t len)
{
    jbyteArray bytes;
    jclass cls;
    jmethodID ctor;
    jstring cs, r;
    bytes = (*env)->NewByteArray(env, (jsize)len);
    if (!bytes)
        return NULL;
    (*env)->SetByteArrayRegion(env, bytes, 0, (jsize)len, (const jbyte *)s);
    cls = (*env)->FindClass(env, "java/lang/String");
    if (!cls)
        return NULL;
    ctor = (*env)->GetMethodID(env, cls, "<init>", "([BLjava/lang/String;)V");
    cs = (*env)->NewStringUTF(env, "UTF-8");
    r = ctor && cs ? (jstring)(*env)->NewObject(env, cls, ctor, bytes, cs) : NULL;
    (*env)->DeleteLocalRef(env, bytes);
    (*env)->DeleteLocalRef(env, cls);
    if (cs)
        (*env)->DeleteLocalRef(env, cs);
    return r;
}

/* Throw the nl.zaakflow exception for `e` (ZaakflowException.fromNative picks
 * the subclass, so the hierarchy lives in one place). */
static void zfj_throw(JNIEnv *env, const zf_error *e)
{
    const char *msg = e->message[0] ? e->message : zf_strerror(e->code);
    jclass cls = (*env)->FindClass(env, "nl/zaakflow/ZaakflowException");
    jmethodID make;
    jstring jm, jf;
    jobject ex;
    if (!cls)
        return; /* NoClassDefFoundError pending */
    make = (*env)->GetStaticMethodID(env, cls, "fromNative",
                                     "(ILjava/lang/String;Ljava/lang/String;II)"
                                     "Lnl/zaakflow/ZaakflowException;");
    if (!make)
        return;
    jm = zfj_string(env, msg, strlen(msg));
    jf = zfj_string(env, e->file, strnlen(e->file, sizeof e->file));
    if (!jm || !jf)
        return;
    ex = (*env)->CallStaticObjectMethod(env, cls, make, (jint)e->code, jm, jf,
                                        (jint)e->line, (jint)e->column);
    if (ex && !(*env)->ExceptionCheck(env))
        (*env)->Throw(env, (jthrowable)ex);
}

static int zfj_throw_code(JNIEnv *env, zf_code code, const char *msg)
{
    zf_error e;
    memset(&e, 0, sizeof e);
    e.code = code;
    snprintf(e.message, sizeof e.message, "%s", msg);
    zfj_throw(env, &e);
    return -1;
}
%}

/* ---- Errors ---------------------------------------------------------------- */
%typemap(in, numinputs=0) zf_error *err (zf_error tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
}
%typemap(argout) zf_error *err {
    if ($1->code != ZF_OK) {
        zfj_throw(jenv, $1);
        return $null;
    }
}
%apply int { zf_code };

/* ---- Dates: day numbers; the facade makes them LocalDate. ------------------ */
%apply int { zf_date };
/* LocalDate parses, builds and adds dates on the Java side. */
%ignore zf_date_from_ymd;
%ignore zf_date_parse;
%ignore zf_date_add;
%ignore zf_duration_parse;

/* ---- Durations: "6w" in and out. ------------------------------------------- */
%typemap(jni) zf_duration "jstring"
%typemap(jtype) zf_duration "String"
%typemap(jstype) zf_duration "String"
%typemap(javain) zf_duration "$javainput"
%typemap(javaout) zf_duration { return $jnicall; }
%typemap(in) zf_duration {
    const char *s;
    zf_error e;
    memset(&e, 0, sizeof e);
    if (!$input) {
        zfj_throw_code(jenv, ZF_EINVAL, "duration is null");
        return $null;
    }
    s = (*jenv)->GetStringUTFChars(jenv, $input, 0);
    if (!s)
        return $null;
    if (zf_duration_parse(&$1, s, &e) != ZF_OK) {
        (*jenv)->ReleaseStringUTFChars(jenv, $input, s);
        zfj_throw(jenv, &e);
        return $null;
    }
    (*jenv)->ReleaseStringUTFChars(jenv, $input, s);
}
%typemap(out) zf_duration {
    char buf[ZF_DURATION_BUFSIZE];
    $result = (*jenv)->NewStringUTF(jenv, zf_duration_format(buf, $1));
}

/* ---- Text buffers: appended to a StringBuilder the caller passes. ---------- */
%typemap(jni) zf_buf *out "jobject"
%typemap(jtype) zf_buf *out "StringBuilder"
%typemap(jstype) zf_buf *out "StringBuilder"
%typemap(javain) zf_buf *out "$javainput"
%typemap(in) zf_buf *out (zf_buf tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
    if (!$input) {
        zfj_throw_code(jenv, ZF_EINVAL, "StringBuilder is null");
        return $null;
    }
}
%typemap(argout) zf_buf *out {
    {
        jclass sb = (*jenv)->GetObjectClass(jenv, $input);
        jmethodID app = (*jenv)->GetMethodID(jenv, sb, "append",
                                             "(Ljava/lang/String;)Ljava/lang/StringBuilder;");
        jstring s = zfj_string(jenv, $1->ptr ? $1->ptr : "", $1->size);
        zf_buf_dispose($1); /* here: the zf_error argout after this may return early */
        if (!app || !s)
            return $null;
        (*jenv)->DeleteLocalRef(jenv, (*jenv)->CallObjectMethod(jenv, $input, app, s));
        (*jenv)->DeleteLocalRef(jenv, s);
        (*jenv)->DeleteLocalRef(jenv, sb);
    }
}

/* ---- Bytes: the compact form of a case (zf_instance_pack/unpack). ------------ */
%typemap(jni) zf_buf *bytes_out "jobject"
%typemap(jtype) zf_buf *bytes_out "java.io.ByteArrayOutputStream"
%typemap(jstype) zf_buf *bytes_out "java.io.ByteArrayOutputStream"
%typemap(javain) zf_buf *bytes_out "$javainput"
%typemap(in) zf_buf *bytes_out (zf_buf tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
    if (!$input) {
        SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException,
                                "ByteArrayOutputStream is null");
        return $null;
    }
}
%typemap(argout) zf_buf *bytes_out {
    {
        jclass os = (*jenv)->GetObjectClass(jenv, $input);
        jmethodID wr = (*jenv)->GetMethodID(jenv, os, "write", "([BII)V");
        jsize n = (jsize)$1->size;
        jbyteArray a = (*jenv)->NewByteArray(jenv, n);
        if (a && n)
            (*jenv)->SetByteArrayRegion(jenv, a, 0, n, (const jbyte *)$1->ptr);
        zf_buf_dispose($1); /* here: the zf_error argout after this may return early */
        if (!wr || !a)
            return $null;
        (*jenv)->CallVoidMethod(jenv, $input, wr, a, (jint)0, (jint)n);
        (*jenv)->DeleteLocalRef(jenv, a);
        (*jenv)->DeleteLocalRef(jenv, os);
    }
}
%typemap(jni) (const void *data, size_t len) "jbyteArray"
%typemap(jtype) (const void *data, size_t len) "byte[]"
%typemap(jstype) (const void *data, size_t len) "byte[]"
%typemap(javain) (const void *data, size_t len) "$javainput"
%typemap(in) (const void *data, size_t len) {
    if (!$input) {
        SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "data is null");
        return $null;
    }
    $1 = (*jenv)->GetByteArrayElements(jenv, $input, NULL);
    $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
    if (!$1)
        return $null; /* OutOfMemoryError pending */
}
%typemap(freearg) (const void *data, size_t len) {
    if ($1)
        (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
}

/* ---- No argument crashes the JVM: null is refused where C wants a string or an
 * object (the facade checks first and names its own parameters; this is the
 * last line for the generated layer). Parameters that may be NULL follow. */
%typemap(check) const char * {
    if (!$1) {
        SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "$1_name is null");
        return $null;
    }
}
%typemap(check) const char *actor, const char *roles, const char *hoofdzaak,
    const char *vervolg_op "";
%typemap(check) SWIGTYPE *self {
    if (!$1) {
        SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException,
                                "the object is null or was freed");
        return $null;
    }
}

%include "zaakflow.i"
