/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The output format and the fields of window and exit records (options). */
#ifndef SHELLWATCH_FORMAT_H
#define SHELLWATCH_FORMAT_H

enum sw_format {
	SW_FORMAT_JSON,		/* one record per line */
	SW_FORMAT_HEC,		/* one Splunk HTTP Event Collector object per line */
	SW_FORMAT_PRETTY,	/* the JSON records shown as text for people */
};

/* what records carry (--fields) */
enum sw_fields {
	SW_FIELDS_FULL,		/* every field, nulls and false flags too; window
				 * and exit records with every identity field,
				 * whole but the command line (SW_FULL_LINE_MAX);
				 * a window for every bucket */
	SW_FIELDS_COMPACT,	/* no nulls, false flags, empty objects or fields
				 * others say; window and exit records with the
				 * fields searches group by and bounded strings;
				 * a short life folded into its exit */
};

#endif /* SHELLWATCH_FORMAT_H */
