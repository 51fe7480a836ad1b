/*
 * lines.h - true line numbers for libconfuse's. libconfuse 3.3 counts
 * each "#" or "//" comment as three lines and each block comment as two
 * more than it has, so every line number after a comment (in errors,
 * and in a section's line) is too high. config_lines_real maps its
 * number back to the line of the file, from a scan of the file's
 * comments made once per file and kept until config_lines_reset.
 *
 * Usage (one configuration load at a time per thread):
 *	config_lines_reset();			before cfg_parse
 *	line = config_lines_real(file, cfg->line);
 *	config_lines_reset();			after the load
 *
 * When libconfuse is fixed, config_lines_real is checked against the
 * libconfuse in use (config_lines_probe) and does nothing.
 */
#ifndef ABUSE_CONFIG_LINES_H
#define ABUSE_CONFIG_LINES_H

/* config_lines_real - the line of file that libconfuse calls lexline;
 * lexline itself when the file cannot be read */
int config_lines_real(const char *file, int lexline);

/* config_lines_reset - forget the scanned files of this thread */
void config_lines_reset(void);

#endif
