// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// qcustomplot.h uses the `signals` / `slots` / `emit` keywords, which this project turns off
// (QT_NO_KEYWORDS); map them to the Q_ macros while it is included.
#ifndef signals
#define signals Q_SIGNALS
#define UNCLIP_UNDEF_SIGNALS
#endif
#ifndef slots
#define slots Q_SLOTS
#define UNCLIP_UNDEF_SLOTS
#endif
#ifndef emit
#define emit Q_EMIT
#define UNCLIP_UNDEF_EMIT
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define UNCLIP_UNDEF_FOREACH
#endif
#include <qcustomplot.h>
#ifdef UNCLIP_UNDEF_FOREACH
#undef foreach
#undef UNCLIP_UNDEF_FOREACH
#endif
#ifdef UNCLIP_UNDEF_SIGNALS
#undef signals
#undef UNCLIP_UNDEF_SIGNALS
#endif
#ifdef UNCLIP_UNDEF_SLOTS
#undef slots
#undef UNCLIP_UNDEF_SLOTS
#endif
#ifdef UNCLIP_UNDEF_EMIT
#undef emit
#undef UNCLIP_UNDEF_EMIT
#endif
