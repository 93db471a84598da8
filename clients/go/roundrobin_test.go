package sergeant

import (
	"testing"
)

// Two gateways, each with a store of its own: a task pushed through the pair is found on the gateway that took it.
// Round robin over "a,b" must leave pushes on both; the control, one address, leaves them all on it.
func TestPushesGoRoundRobinOverTwoGateways(t *testing.T) {
	first := gatewayAddr(t)
	second, err := startBackend()
	if err != nil {
		t.Fatal(err)
	}
	ctx := e2eContext(t)
	both := dialE2E(t, first+","+second)
	alone := map[string]*Client{first: dialE2E(t, first), second: dialE2E(t, second)}
	const queue, pushes = "round-robin", 20
	landed := map[string]int{}
	for i := 0; i < pushes; i++ {
		id, err := both.Push(ctx, queue, map[string]any{"n": i}, WithResults())
		if err != nil {
			t.Fatal(err)
		}
		for addr, client := range alone {
			if _, err := client.Get(ctx, queue, id); err == nil {
				landed[addr]++
			}
		}
	}
	if landed[first] == 0 || landed[second] == 0 || landed[first]+landed[second] != pushes {
		t.Errorf("pushes per gateway: %v, want some on each of %d", landed, pushes)
	}
}
