/**
 * @file zaakflow.h
 * zaakflow: legal-protection procedures of Dutch municipalities as
 * XML-defined state machines. Include this one header.
 */
#ifndef ZAAKFLOW_H
#define ZAAKFLOW_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/alloc.h"
#include "zaakflow/buf.h"
#include "zaakflow/date.h"
#include "zaakflow/calendar.h"
#include "zaakflow/term.h"
#include "zaakflow/value.h"
#include "zaakflow/definition.h"
#include "zaakflow/instance.h"
#include "zaakflow/scenario.h"
#include "zaakflow/registry.h"
#include "zaakflow/migration.h"
#include "zaakflow/zgw.h"

#endif
