/*
 * bindings/java/store_java.i -- the case store for Java: the low-level package
 * nl.zaakflow.swig.store (module class `storecore`, JNI library
 * libzaakflow_store_jni, linked with libzaakflow-store) under the hand-written
 * facade nl.zaakflow.Store.
 *
 *   zf_error *err -> thrown nl.zaakflow.ZaakflowException subclass
 *   dates         -> int day numbers (LocalDate.toEpochDay())
 */
%module storecore

%include <enumtypeunsafe.swg>
%javaconst(1);

/* Proxies are freed by the facade; getCPtr and the pointer constructor public. */
%typemap(javafinalize) SWIGTYPE ""
SWIG_JAVABODY_PROXY(public, public, SWIGTYPE)
SWIG_JAVABODY_TYPEWRAPPER(public, public, public, SWIGTYPE)

%pragma(java) jniclasscode=%{
  static {
    nl.zaakflow.Store.loadNative();
  }
%}

%{
#include <jni.h>
#include <string.h>
#include "zaakflow.h"

/* Throw the nl.zaakflow exception for `e` (ZaakflowException.fromNative picks
 * the subclass). */
static void zfs_throw(JNIEnv *env, const zf_error *e)
{
    const char *msg = e->message[0] ? e->message : zf_strerror(e->code);
    jclass cls = (*env)->FindClass(env, "nl/zaakflow/ZaakflowException");
    jmethodID make;
    jstring jm, jf;
    jobject ex;
    if (!cls)
        return;
    make = (*env)->GetStaticMethodID(env, cls, "fromNative",
                                     "(ILjava/lang/String;Ljava/lang/String;II)"
                                     "Lnl/zaakflow/ZaakflowException;");
    if (!make)
        return;
    jm = (*env)->NewStringUTF(env, msg);
    jf = (*env)->NewStringUTF(env, e->file);
    if (!jm || !jf)
        return;
    ex = (*env)->CallStaticObjectMethod(env, cls, make, (jint)e->code, jm, jf,
                                        (jint)e->line, (jint)e->column);
    if (ex && !(*env)->ExceptionCheck(env))
        (*env)->Throw(env, (jthrowable)ex);
}
%}

%typemap(in, numinputs=0) zf_error *err (zf_error tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
}
%typemap(argout) zf_error *err {
    if ($1->code != ZF_OK) {
        zfs_throw(jenv, $1);
        return $null;
    }
}

%include "../store.i"
