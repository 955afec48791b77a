package cli

import (
	"errors"
	"strconv"

	"github.com/spf13/pflag"
)

// errNoVersion is versionValue's refusal of 0: versions count from 1.
var errNoVersion = errors.New("records have no version 0")

// versionValue is an --if-version flag's value: the version of a record
// an edit or move is made from, as `show --json` prints it. Versions
// count from 1, so 0 is refused where -1 is, in the same words
// (flagValueWants), rather than by each command after parsing.
type versionValue uint64

func (v *versionValue) String() string { return strconv.FormatUint(uint64(*v), 10) }

// Set implements pflag.Value.
func (v *versionValue) Set(s string) error {
	n, err := strconv.ParseUint(s, 10, 64)
	switch {
	case err != nil:
		return err
	case n == 0:
		return errNoVersion
	}
	*v = versionValue(n)
	return nil
}

// Type implements pflag.Value; flagValueWants has its words.
func (v *versionValue) Type() string { return "version" }

// ifVersionFlag defines --if-version on fs, stored in p (0 when not given).
func ifVersionFlag(fs *pflag.FlagSet, p *uint64, usage string) {
	fs.Var((*versionValue)(p), "if-version", usage)
}
