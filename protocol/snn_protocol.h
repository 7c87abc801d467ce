/* SPDX-License-Identifier: MIT
 * snn_protocol.h : the constants of protocol/snn_protocol.def for C (PROTO_* enumerators): the
 * board protocol and the board clock.  The link library (host/src/link/protocol.h) builds on
 * it; a program that needs only a constant (host/train's speed table: the clock) includes this.
 */
#ifndef SNN_PROTOCOL_H
#define SNN_PROTOCOL_H

#include "snn_config.h"

enum {
#define SNN_PROTO(name, value, doc) name = (value),
#include "snn_protocol.def"
#undef SNN_PROTO
};

#endif
