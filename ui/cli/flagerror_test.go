package cli

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Ensure that every type of flag in the command table whose value can
// fail to parse has words for it: a new type would otherwise tell people
// only "is not a value it takes".
func TestFlagError_EveryFlagType(t *testing.T) {
	cannotFail := map[string]bool{"string": true, "stringArray": true}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			typ := f.Value.Type()
			if _, ok := flagValueWants[typ]; !ok && !cannotFail[typ] {
				t.Errorf("%s --%s is a %s flag, which flagValueWants has no words for", c.CommandPath(), f.Name, typ)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(&Env{}))
}
