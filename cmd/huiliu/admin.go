package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"huiliu/desk"
)

// adminFlags parses a subcommand's own flags plus the shared configuration.
func adminFlags(name string, args []string, stderr io.Writer, define func(fs *flag.FlagSet)) (Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addConfigFlags(fs)
	define(fs)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, usagef("unexpected argument %q", fs.Arg(0))
	}
	cfg, err := cf.load(fs)
	if err != nil {
		return Config{}, usagef("%v", err)
	}
	return cfg, nil
}

func runMigrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg, err := adminFlags("migrate", args, stderr, func(*flag.FlagSet) {})
	if err != nil {
		return err
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		// A deployment's calendars and policies from the file, so the
		// database is ready before any node serves.
		if err := a.applyRoutingConfig(ctx); err != nil {
			return err
		}
		if err := a.applySLAConfig(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "database is up to date (%s)\n", a.db.Dialect())
		return nil
	})
}

// withApp opens the store and queues of cfg for one admin command.
func withApp(ctx context.Context, cfg Config, stderr io.Writer, fn func(a *app) error) error {
	a, err := openApp(ctx, cfg, cfg.commandLogger(stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

func runAgent(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef("usage: huiliu agent add --email E --name N --role agent|supervisor|admin [--team T] [--password-file F]")
	}
	var email, name, role, team, pwFile string
	cfg, err := adminFlags("agent add", args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "login email (required)")
		fs.StringVar(&name, "name", "", "display name (required)")
		fs.StringVar(&role, "role", "agent", "agent, supervisor or admin")
		fs.StringVar(&team, "team", "", "team name(s), comma-separated; created if missing")
		fs.StringVar(&pwFile, "password-file", "", "read the password from this file (else stdin or a prompt)")
	})
	if err != nil {
		return err
	}
	if email == "" || name == "" {
		return usagef("--email and --name are required")
	}
	pw, err := readPassword(pwFile, stdin, stderr)
	if err != nil {
		return err
	}
	var teams []string
	for _, t := range strings.Split(team, ",") {
		if t = strings.TrimSpace(t); t != "" {
			teams = append(teams, t)
		}
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		ag, err := a.svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: email, Name: name, Role: desk.Role(role), Password: pw, Teams: teams})
		if err != nil {
			return userError(err)
		}
		fmt.Fprintf(stdout, "created %s %s <%s>, employee number %s, id %s\n", ag.Role, ag.Name, ag.Email, ag.EmployeeNo, ag.ID)
		return nil
	})
}

func runToken(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef("usage: huiliu token add --agent EMAIL --name NAME")
	}
	var agent, name string
	cfg, err := adminFlags("token add", args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&agent, "agent", "", "email of the agent the token acts as (required)")
		fs.StringVar(&name, "name", "", "what the token is for (required)")
	})
	if err != nil {
		return err
	}
	if agent == "" || name == "" {
		return usagef("--agent and --name are required")
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		_, secret, err := a.svc.CreateToken(ctx, desk.Actor{}, agent, name)
		if err != nil {
			return userError(err)
		}
		fmt.Fprintln(stderr, "API token (shown once; store it now):")
		fmt.Fprintln(stdout, secret)
		return nil
	})
}

// readPassword takes the password from a file, from piped stdin, or from a
// prompt on the terminal without echo.
func readPassword(file string, stdin io.Reader, stderr io.Writer) (string, error) {
	if file != "" {
		pw, err := secret("", file)
		if err != nil {
			return "", fmt.Errorf("read password file: %w", err)
		}
		return pw, nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(stderr, "Repeat password: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(b) != string(again) {
			return "", usagef("the passwords differ")
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("no password given: use --password-file, pipe it on stdin, or run in a terminal")
	}
	return line, nil
}

// userError shows a domain error's safe message without internal detail.
func userError(err error) error {
	var de *desk.Error
	if errors.As(err, &de) && de.Code != desk.CodeInternal {
		return fmt.Errorf("%s", de.Message)
	}
	return err
}
