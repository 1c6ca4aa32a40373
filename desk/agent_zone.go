package desk

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CheckTimeZone reads an agent's time zone setting: an IANA name such as
// Asia/Shanghai, or empty for the desk's configured zone. "Local" is
// refused: it would mean whatever zone the server happens to run in.
func CheckTimeZone(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil
	}
	if name == "Local" || len(name) > 64 {
		return "", Errorf(CodeInvalid, "time zone %q is not an IANA zone such as Asia/Shanghai", name)
	}
	if _, err := time.LoadLocation(name); err != nil {
		return "", Wrap(CodeInvalid, err, fmt.Sprintf("time zone %q is not an IANA zone such as Asia/Shanghai", name))
	}
	return name, nil
}

// SetOwnTimeZone lets any agent choose the zone their desk shows times in;
// admins set anyone's through ChangeAgent. Audited like every account change.
func (s *Service) SetOwnTimeZone(ctx context.Context, actor Actor, zone string) (Agent, error) {
	if actor.Agent == nil {
		return Agent{}, Errorf(CodeUnauthorized, "sign in first")
	}
	zone, err := CheckTimeZone(zone)
	if err != nil {
		return Agent{}, err
	}
	var a Agent
	err = s.store.Tx(ctx, func(tx Tx) error {
		var err error
		if a, err = tx.Agent(ctx, actor.Agent.ID); err != nil {
			return err
		}
		a.TimeZone = zone
		if err := tx.UpdateAgent(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "agent.update", a.ID, "time_zone="+zone)
	})
	if err != nil {
		return Agent{}, fmt.Errorf("desk: time zone of agent %s: %w", actor.Agent.ID, err)
	}
	s.auth.forget("")
	return a, nil
}
