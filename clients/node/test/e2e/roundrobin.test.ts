/**
 * Several gateways: a client given two addresses sends calls to both, round robin. Each gateway has a store of its
 * own (backend.py), so a pushed task is found on the gateway that took it.
 */
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { SergeantClient, SergeantError } from "../../src/index";
import { channelTarget } from "../../src/client";
import { gatewayUnderTest, startBackend, type Backend } from "./backend";

let first: Backend;
let second: Backend;

before(async () => {
  first = await gatewayUnderTest();
  second = await startBackend();
}, { timeout: 180_000 });

after(async () => {
  await second?.stop();
  await first?.stop();
});

it("pushes through two gateways land on both", { timeout: 60_000 }, async () => {
  const both = new SergeantClient([first.address, second.address], { deadlineMs: 20_000 });
  const alone = [first, second].map((b) => new SergeantClient(b.address, { deadlineMs: 20_000 }));
  try {
    const landed = [0, 0];
    for (let n = 0; n < 20; n++) {
      const id = await both.push("round-robin", { n }, { wantResults: true });
      for (const [i, client] of alone.entries()) {
        try {
          await client.get("round-robin", id);
          landed[i]! += 1;
        } catch (error) {
          if (!(error instanceof SergeantError)) throw error;
        }
      }
    }
    assert.equal(landed[0]! + landed[1]!, 20, `pushes per gateway: ${landed.join(", ")}`);
    assert.ok(landed[0]! > 0 && landed[1]! > 0, `every push went to one gateway: ${landed.join(", ")}`);
  } finally {
    both.close();
    for (const client of alone) client.close();
  }
});

it("several addresses become one ipv4 or ipv6 target", () => {
  assert.deepEqual(channelTarget(["127.0.0.1:1", "127.0.0.2:2"]), { target: "ipv4:127.0.0.1:1,127.0.0.2:2", roundRobin: true });
  assert.deepEqual(channelTarget(["[::1]:1", "[::1]:2"]), { target: "ipv6:[::1]:1,[::1]:2", roundRobin: true });
  assert.deepEqual(channelTarget("dns:///gateways:50051", true), { target: "dns:///gateways:50051", roundRobin: true });
  assert.deepEqual(channelTarget("127.0.0.1:1"), { target: "127.0.0.1:1", roundRobin: false });
  for (const bad of [["gw1:1", "gw2:1"], ["127.0.0.1:1", "[::1]:1"], []]) assert.throws(() => channelTarget(bad), RangeError);
});
