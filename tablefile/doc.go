// Package tablefile reads and writes tables as county staff keep them: .xlsx
// workbooks and .csv files in UTF-8 (with or without a byte-order mark) or
// GB18030, which Excel on Chinese Windows writes.
//
// Rows are streamed one at a time, each with its row number as Excel shows
// it (the first row is 1, blank rows count), so that a million-row file is
// read in bounded memory and every problem can name the row the user sees.
// The package knows nothing of what the columns mean; see package importer.
package tablefile
