package cli

import (
	"errors"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagValueWants says, by pflag type, what a flag's value must look like:
// the words a person gets for a value that does not parse, instead of the
// parser's own (`strconv.ParseFloat: parsing "abc": invalid syntax`).
var flagValueWants = map[string]string{
	"float64":      "is not a number",
	"int":          "is not a whole number",
	"uint64":       "is not a whole number of 0 or more",
	"version":      "is not a version: a whole number of 1 or more, as 'show --json' prints it",
	"duration":     "is not a duration such as 90m, 72h or 1h30m",
	"bool":         "is not true or false",
	"float64Slice": "is not a list of numbers such as 0.5,0.5",
	"uintSlice":    "is not a list of whole numbers such as 12,14",
	"stringSlice":  "is not a comma-separated list (a value with a comma goes in double quotes)",
}

// flagError is the command table's cobra FlagErrorFunc: every mistake in
// flags is a usage error, and a value that does not parse is named with
// its flag and what the flag takes.
func flagError(_ *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	if !errors.As(err, &invalid) {
		return &usageError{err}
	}
	flag := invalid.GetFlag()
	wants, ok := flagValueWants[flag.Value.Type()]
	switch {
	case errors.Is(err, strconv.ErrRange):
		wants = "is out of range"
	case !ok:
		wants = "is not a value it takes; see --help"
	}
	return usageErrorf("--%s: %q %s", flag.Name, invalid.GetValue(), wants)
}
