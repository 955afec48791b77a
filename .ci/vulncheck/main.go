// Command vulncheck is CI's helper around govulncheck, run with
// `go run ./.ci/vulncheck` from the module root (Go skips directories that
// start with a dot for ./..., so it is not part of tandem's own packages).
//
//	vulncheck builddb -osv DIR -out DIR
//	    turns the OSV files of the golang.org/x/vulndb module (data/osv) into
//	    the database layout `govulncheck -db file:///DIR` reads.
//	vulncheck check -exceptions FILE [-main MODULE] < govulncheck.json
//	    reads `govulncheck -format json` and fails on every reachable finding
//	    that the exception list does not name.
//
// It uses the standard library only, so that it builds wherever Go does.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1 // a reachable finding is not on the exception list
	exitUsage    = 2
	exitFailure  = 3 // the input or the database could not be read or written
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to the subcommand in args and returns the exit code.
func run(args []string, in io.Reader, out, errOut io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(errOut, "usage: vulncheck builddb -osv DIR -out DIR | vulncheck check -exceptions FILE < govulncheck.json")
		return exitUsage
	}
	fs := flag.NewFlagSet("vulncheck "+args[0], flag.ContinueOnError)
	fs.SetOutput(errOut)
	switch args[0] {
	case "builddb":
		osvDir := fs.String("osv", "", "directory of OSV JSON files (data/osv of golang.org/x/vulndb)")
		outDir := fs.String("out", "", "directory to write the database to; must not exist")
		if err := fs.Parse(args[1:]); err != nil {
			return exitUsage
		}
		if *osvDir == "" || *outDir == "" {
			fmt.Fprintln(errOut, "vulncheck builddb: -osv and -out are required")
			return exitUsage
		}
		n, err := buildDB(*osvDir, *outDir)
		if err != nil {
			fmt.Fprintf(errOut, "vulncheck builddb: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(out, "vulnerability database: %d entries in %s\n", n, *outDir)
		return exitOK
	case "check":
		exceptions := fs.String("exceptions", ".ci/vuln-exceptions", "the exception list")
		mainModule := fs.String("main", "github.com/tandem-ops/tandem", "the module whose code counts as reaching a finding")
		if err := fs.Parse(args[1:]); err != nil {
			return exitUsage
		}
		list, err := readExceptions(*exceptions)
		if err != nil {
			fmt.Fprintf(errOut, "vulncheck check: %v\n", err)
			return exitFailure
		}
		report, err := readReport(in, *mainModule)
		if err != nil {
			fmt.Fprintf(errOut, "vulncheck check: %v\n", err)
			return exitFailure
		}
		return check(report, list, *exceptions, out, errOut)
	default:
		fmt.Fprintf(errOut, "vulncheck: unknown subcommand %q; want builddb or check\n", args[0])
		return exitUsage
	}
}
