package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/refresh"
)

// Terraform's own apply of 10000 resources takes longer than the whole rest
// of the bench (over 15 minutes for terraform_data alone on 2 busy cores),
// and the plan is what big rows measure. So a big row applies one instance
// for real and writes the state of N by copying it: instance i gets the
// names of index i (pkg-00000 becomes pkg-0000i) and, for ghpkg, the
// package ID the emulator gave package i (IDs follow the seeding order)
// and the refresh.Seen an apply of N gives its creates: their places 1 to
// N (an apply creates in no order, and a plan reads in no order, so by
// index is as good).

// seedState applies the one-instance configuration one in a scratch
// workspace and writes the state of n instances into w.
func (b *bench) seedState(w *workspace, one string, n int, env []string) error {
	dir := filepath.Dir(w.Dir)
	seed, err := b.workspace(dir, "seed", one, env)
	if err != nil {
		return err
	}
	if _, err := seed.Run("apply", "-input=false", "-auto-approve"); err != nil {
		return fmt.Errorf("seeding %s: %w\n%s", dir, err, seed.Stdout)
	}
	err = expandState(seed.state(), w.state(), n)
	return errors.Join(err, os.RemoveAll(filepath.Join(dir, "seed")), os.RemoveAll(filepath.Join(dir, "seed-config")))
}

// expandState copies the single instance of the only resource in the state
// at from into n instances, written to to.
func expandState(from, to string, n int) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	var state struct {
		Resources []map[string]json.RawMessage `json:"resources"`
	}
	var whole map[string]json.RawMessage
	if err := json.Unmarshal(data, &state); err != nil {
		return err
	}
	if err := json.Unmarshal(data, &whole); err != nil {
		return err
	}
	if len(state.Resources) != 1 {
		return fmt.Errorf("%s: %d resources, want 1", from, len(state.Resources))
	}
	var instances []map[string]any
	if err := json.Unmarshal(state.Resources[0]["instances"], &instances); err != nil || len(instances) != 1 {
		return fmt.Errorf("%s: want one instance (%v)", from, err)
	}
	template, err := json.Marshal(instances[0])
	if err != nil {
		return err
	}
	copies := make([]map[string]any, 0, n)
	for i := range n {
		var inst map[string]any
		if err := json.Unmarshal([]byte(strings.ReplaceAll(string(template), "pkg-00000", fmt.Sprintf("pkg-%05d", i))), &inst); err != nil {
			return err
		}
		inst["index_key"] = i
		if private, ok := inst["private"].(string); ok {
			if inst["private"], err = withSeen(private, i+1); err != nil {
				return err
			}
		}
		if attrs, ok := inst["attributes"].(map[string]any); ok {
			if id, ok := attrs["package_id"].(float64); ok {
				attrs["package_id"] = id + float64(i)
			}
		}
		copies = append(copies, inst)
	}
	if state.Resources[0]["instances"], err = json.Marshal(copies); err != nil {
		return err
	}
	if whole["resources"], err = json.Marshal(state.Resources); err != nil {
		return err
	}
	out, err := json.Marshal(whole)
	if err != nil {
		return err
	}
	return os.WriteFile(to, out, 0o600)
}

// withSeen returns the private state of a copy: the framework's JSON object
// of base64 values, base64-encoded by Terraform, with refresh.SeenKey set
// to seen when the instance has one.
func withSeen(private string, seen int) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(private)
	if err != nil {
		return "", fmt.Errorf("private state: %w", err)
	}
	var keys map[string][]byte
	if err := json.Unmarshal(raw, &keys); err != nil {
		return "", fmt.Errorf("private state: %w", err)
	}
	if _, ok := keys[refresh.SeenKey]; !ok {
		return private, nil
	}
	keys[refresh.SeenKey] = []byte(strconv.Itoa(seen))
	raw, err = json.Marshal(keys)
	return base64.StdEncoding.EncodeToString(raw), err
}
