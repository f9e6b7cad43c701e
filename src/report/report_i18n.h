/* report_i18n.h — the words of the reports (HTML, PDF, XLSX and their
 * charts) in English and Simplified Chinese: one catalogue, keyed by the
 * English text, in report_i18n.c.  The Chinese wording follows the web
 * app's (web/i18n.js), so the app and the reports say the same words.
 *
 * What the reports print of the data itself (names, comments, the texts
 * an organisation wrote into its plan, logins, keys, files) is never
 * translated: only merit's own labels, notes and the words merit makes up
 * (component names, rule names, stages, rater kinds, the goal, the reason
 * a person is not scored), and what merit's built-in plan wrote: its
 * positions, indicators and sources by the web app's Chinese names for
 * their keys (mr_tr_key), its duties and criteria by the catalogue.  The
 * CSV and JSON formats have no labels: their keys are data contracts,
 * English in every language.
 */
#ifndef MR_REPORT_I18N_H
#define MR_REPORT_I18N_H

#include "core/plan.h"
#include "util/buf.h"

/* `en` in language l: en itself for English, or the catalogue's Chinese;
 * en when the catalogue lacks it.  A format stays a format with the same
 * conversions in the same order (checked by the compiler against en). */
const char *mr_tr(mr_locale l, const char *en) __attribute__((format_arg(2)));

/* An English word that needs two translations has a context before "|":
 * "sign|Manager" (上级, who signs) is not "Manager" (上级评, the rating). */

/* The label `en` in report r's language. */
#define MR_T(r, en) mr_tr((r)->lang, en)

/* The Chinese name of a built-in key of `kind` ("pos" a position, "ind"
 * an indicator, "source" a batch's source), as the web app names it;
 * NULL in English or for a key merit does not define. */
const char *mr_tr_key(mr_locale l, const char *kind, const char *key);

/* A list merit made ("peer, self": component names, or indicator keys;
 * up to a ")"), each component name translated, joined as the language
 * joins lists. */
void mr_tr_list(mr_buf *out, mr_locale l, const char *list);

#endif
