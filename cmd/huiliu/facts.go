package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"huiliu/desk"
)

// runFacts is `huiliu facts import FILE.json|csv`: customer records into
// the facts table, idempotent by customer number.
func runFacts(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	const use = "usage: huiliu facts import [--format json|csv] FILE"
	if len(args) == 0 || args[0] != "import" {
		return usagef(use)
	}
	var format string
	fs := flag.NewFlagSet("facts import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addConfigFlags(fs)
	fs.StringVar(&format, "format", "", "json or csv (default: from the file name)")
	// The file may come before or after the flags.
	rest := args[1:]
	var file string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usagef("unexpected argument %q; %s", fs.Arg(0), use)
	}
	if file == "" {
		return usagef(use)
	}
	cfg, err := cf.load(fs)
	if err != nil {
		return usagef("%v", err)
	}
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	}
	if format != "json" && format != "csv" {
		return usagef("cannot tell the format of %s; name it .json or .csv or give --format", file)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	recs, bad, err := desk.ParseFacts(f, format)
	if err != nil {
		return userError(err)
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		sum, err := a.svc.ImportFacts(ctx, desk.Actor{}, recs, bad)
		if err != nil {
			return userError(err)
		}
		printImportSummary(stdout, file, sum)
		return nil
	})
}

func printImportSummary(w io.Writer, file string, sum desk.ImportSummary) {
	fmt.Fprintf(w, "%s: %d created, %d updated, %d unchanged, %d bad\n", file, sum.Created, sum.Updated, sum.Unchanged, len(sum.Bad))
	for _, b := range sum.Bad {
		no := ""
		if b.CustomerNo != "" {
			no = " " + b.CustomerNo
		}
		fmt.Fprintf(w, "  line %d%s: %s\n", b.Line, no, b.Error)
	}
}
