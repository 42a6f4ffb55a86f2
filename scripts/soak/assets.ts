import { encodeBytes32String, getAddress, id } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { RWAFactory__factory, RWAToken__factory, type RWAToken } from "../../typechain-types/index.js";
import { compare, n, type Workload } from "./context.js";
import { license } from "./identity.js";

const UNIT = 10n ** 18n;
const MINTED = 1_000_000n * UNIT;

/**
 * Real-world assets: the admin issues a token of the run (KYC required, no rules) and mints to every sender;
 * senders transfer among themselves, each spending only from its own mint (what it received may still be in
 * flight); a transfer to an account without KYC is refused.
 */
export function assetsWorkload(): Workload {
  const rwa = RWAToken__factory.createInterface();
  const balances = new Map<string, bigint>();
  const spent = new Map<string, bigint>();
  let token: RWAToken;
  let transfers = 0;

  return {
    module: "assets",
    weight: 1,
    async setup(context) {
      await license(context, Topics.KYC, context.senders);
      const factory = RWAFactory__factory.connect(context.address("rwaFactory"), context.admin);
      const spec = {
        directoryName: encodeBytes32String(`RWA:SOAK-${context.runId.slice(-12)}`),
        name: `Soak receipt ${context.runId}`,
        symbol: "SOAK",
        decimals: 18,
        topics: [Topics.KYC],
        rules: [],
      };
      const address = await context.setup(async () => {
        const predicted = await factory.issueAsset.staticCall(spec);
        await (await factory.issueAsset(spec)).wait();
        return predicted;
      });
      token = RWAToken__factory.connect(address, context.admin);
      for (const sender of context.senders) {
        await context.setup(async () => (await token.mint(sender.address, MINTED)).wait());
        balances.set(sender.address, MINTED);
      }
    },
    next(context, sender, rng) {
      const to = token.target as string;
      if (rng.chance(0.05)) {
        const stranger = getAddress(id(`${context.runId}:unverified:${rng.int(1e9)}`).slice(0, 42));
        return {
          module: "assets",
          what: "transfer to an account without KYC",
          to,
          data: rwa.encodeFunctionData("transfer", [stranger, UNIT]),
          expect: "IdentityGateMissingCredential",
        };
      }
      const receiver = rng.pick(context.senders.filter((s) => s !== sender));
      const amount = BigInt(1 + rng.int(1000)) * UNIT;
      const left = MINTED - (spent.get(sender.address) ?? 0n);
      const value = amount <= left ? amount : left;
      spent.set(sender.address, (spent.get(sender.address) ?? 0n) + value);
      return {
        module: "assets",
        what: `transfer ${value / UNIT} to ${receiver.name}`,
        to,
        data: rwa.encodeFunctionData("transfer", [receiver.address, value]),
        apply: () => {
          balances.set(sender.address, balances.get(sender.address)! - value);
          balances.set(receiver.address, balances.get(receiver.address)! + value);
          transfers += 1;
        },
      };
    },
    async verify(context) {
      const mismatches: string[] = [];
      const reader = token.connect(context.connection.ethers.provider);
      let sum = 0n;
      for (const sender of context.senders) {
        const balance = await reader.balanceOf(sender.address);
        sum += balance;
        compare(mismatches, `balance of ${sender.name}`, balance, balances.get(sender.address));
      }
      const supply = await reader.totalSupply();
      compare(mismatches, "total supply", supply, MINTED * BigInt(context.senders.length));
      compare(mismatches, "sum of the senders' balances", sum, supply);
      return { checked: `${n(transfers)} transfers between ${context.senders.length} holders, supply ${n(supply / UNIT)}`, mismatches };
    },
  };
}
