import { MaxUint256, getAddress, id, type TransactionReceipt } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { classificationLevel } from "../../deploy/data.js";
import {
  DataElement__factory,
  DataRevenue__factory,
  TestStablecoin__factory,
  type TestStablecoin,
} from "../../typechain-types/index.js";
import { compare, inParallel, n, type Account, type Op, type Workload } from "./context.js";
import { license } from "./identity.js";

/** What each sender starts with, in the run's stablecoin. */
const MINTED = 10n ** 15n;

interface Token {
  id: bigint;
  dataHash: string;
  owner: Account;
  /** Set once the offer's receipt is in. */
  price?: bigint;
  /** The one sender that rents it (reserved when its first rental is built, so that no other renter races it). */
  renter?: string;
  rentals: number;
  fees: bigint;
}

/**
 * Data elements: providers register data sets and publish offers; members rent them, paying a fee the registry
 * credits to the holder at once; holders withdraw. Each token has one renter (renting again renews), so that no
 * two senders race for a use right. Registering the same data twice is refused.
 */
export function dataWorkload(): Workload {
  const element = DataElement__factory.createInterface();
  const revenue = DataRevenue__factory.createInterface();
  const tokens: Token[] = [];
  const owned = new Map<string, Token[]>();
  const credited = new Map<string, bigint>();
  const withdrawn = new Map<string, bigint>();
  const paid = new Map<string, bigint>();
  const add = (map: Map<string, bigint>, key: string, amount: bigint) => map.set(key, (map.get(key) ?? 0n) + amount);
  let stablecoin: TestStablecoin;
  let serial = 0;

  return {
    module: "data",
    weight: 1.2,
    async setup(context) {
      await license(context, Topics.DATA_PROVIDER, context.senders);
      await license(context, Topics.DATA_EXCHANGE_MEMBER, context.senders);
      const dataElement = DataElement__factory.connect(context.address("dataElement"), context.admin);
      stablecoin = await context.setup(async () => {
        const deployed = await new TestStablecoin__factory(context.admin).deploy("Soak Yuan", "SCNY");
        return deployed.waitForDeployment();
      });
      await context.setup(async () => (await dataElement.setPaymentToken(await stablecoin.getAddress(), true)).wait());
      for (const sender of context.senders) {
        await context.setup(async () => (await stablecoin.mint(sender.address, MINTED)).wait());
      }
      const approve = stablecoin.interface.encodeFunctionData("approve", [context.address("dataElement"), MaxUint256]);
      await Promise.all(
        context.senders.map((sender) =>
          context.setupOp(sender, { module: "setup", what: "approve the data registry", to: stablecoin.target as string, data: approve }),
        ),
      );
    },
    next(context, sender, rng) {
      const to = context.address("dataElement");
      const own = owned.get(sender.address) ?? [];
      if (own.length > 0 && rng.chance(0.05)) {
        const token = rng.pick(own);
        return {
          module: "data",
          what: `register data ${token.dataHash.slice(0, 10)}… again`,
          to,
          data: element.encodeFunctionData("register", [token.dataHash, classificationLevel("PUBLIC"), 7, 0, "", []]),
          expect: "DataAlreadyRegistered",
        };
      }
      const credit = (credited.get(sender.address) ?? 0n) - (withdrawn.get(sender.address) ?? 0n);
      if (credit > 0n && rng.chance(0.1)) {
        return {
          module: "data",
          what: "withdraw its revenue",
          to: context.address("dataRevenue"),
          data: revenue.encodeFunctionData("withdraw", [stablecoin.target as string, sender.address]),
          apply: (receipt) => add(withdrawn, sender.address, withdrawnIn(receipt)),
        };
      }
      const unpublished = own.filter((token) => token.price === undefined);
      if (unpublished.length > 0 && rng.chance(0.5)) {
        const token = unpublished[0];
        const price = BigInt(1 + rng.int(1000));
        const offer = {
          paymentToken: stablecoin.target as string,
          pricePerSecond: price,
          minDuration: 1,
          maxDuration: 86_400,
          topic: Topics.DATA_EXCHANGE_MEMBER,
          requiresPresentation: false,
        };
        return {
          module: "data",
          what: `publish an offer for ${token.dataHash.slice(0, 10)}…`,
          to,
          data: element.encodeFunctionData("publishOffer", [token.id, offer]),
          apply: () => void (token.price = price),
        };
      }
      const rentable = tokens.filter(
        (token) => token.price !== undefined && token.owner !== sender && (token.renter === undefined || token.renter === sender.address),
      );
      if (rentable.length > 0 && rng.chance(0.6)) {
        const token = rng.pick(rentable);
        token.renter = sender.address;
        const duration = BigInt(60 + rng.int(3540));
        const fee = token.price! * duration;
        return {
          module: "data",
          what: `rent ${token.dataHash.slice(0, 10)}… for ${duration} s`,
          to,
          data: element.encodeFunctionData("rent", [token.id, duration, fee]),
          apply: () => {
            token.rentals += 1;
            token.fees += fee;
            add(credited, token.owner.address, fee);
            add(paid, sender.address, fee);
          },
        };
      }
      const dataHash = id(`${context.runId}:data:${++serial}`);
      return {
        module: "data",
        what: `register data ${dataHash.slice(0, 10)}…`,
        to,
        data: element.encodeFunctionData("register", [dataHash, classificationLevel("PUBLIC"), 7, 0, "", []]),
        apply: () => {
          const token: Token = { id: BigInt(dataHash), dataHash, owner: sender, rentals: 0, fees: 0n };
          tokens.push(token);
          owned.set(sender.address, [...(owned.get(sender.address) ?? []), token]);
        },
      } satisfies Op;
    },
    async verify(context, { fromBlock, toBlock }) {
      const { provider } = context.connection.ethers;
      const registry = DataElement__factory.connect(context.address("dataElement"), provider);
      const revenueContract = DataRevenue__factory.connect(context.address("dataRevenue"), provider);
      const coin = stablecoin.connect(provider);
      const mismatches: string[] = [];
      await inParallel(tokens, 16, async (token) => {
        const label = `data ${token.dataHash.slice(0, 10)}…`;
        compare(mismatches, `${label} owner`, await registry.ownerOf(token.id), token.owner.address);
        if (token.price !== undefined) compare(mismatches, `${label} price`, (await registry.offerOf(token.id)).pricePerSecond, token.price);
        const [rentals, fees] = await registry.totalsOf(token.id, coin.target as string);
        compare(mismatches, `${label} rentals`, Number(rentals), token.rentals);
        compare(mismatches, `${label} fees`, fees, token.fees);
        if (token.rentals > 0) {
          const use = await registry.useOf(token.id);
          compare(mismatches, `${label} user`, use.user, token.renter);
          compare(mismatches, `${label} rental count`, Number(use.rentals), token.rentals);
        }
      });
      let outstanding = 0n;
      for (const sender of context.senders) {
        const credit = (credited.get(sender.address) ?? 0n) - (withdrawn.get(sender.address) ?? 0n);
        outstanding += credit;
        compare(mismatches, `credit of ${sender.name}`, await revenueContract.creditOf(sender.address, coin.target as string), credit);
        compare(
          mismatches,
          `stablecoin balance of ${sender.name}`,
          await coin.balanceOf(sender.address),
          MINTED - (paid.get(sender.address) ?? 0n) + (withdrawn.get(sender.address) ?? 0n),
        );
      }
      compare(mismatches, "stablecoin held by DataRevenue", await coin.balanceOf(revenueContract.target as string), outstanding);
      const rented = (await registry.queryFilter(registry.filters.Rented(), fromBlock, toBlock)).filter(
        (log) => log.args.paymentToken === coin.target,
      );
      const rentals = tokens.reduce((sum, token) => sum + token.rentals, 0);
      compare(mismatches, "Rented events", rented.length, rentals);
      const fees = tokens.reduce((sum, token) => sum + token.fees, 0n);
      const withdrawals = [...withdrawn.values()].reduce((sum, amount) => sum + amount, 0n);
      return {
        checked: `${n(tokens.length)} data sets, ${n(rentals)} rentals, ${n(fees)} in fees, ${n(withdrawals)} withdrawn`,
        mismatches,
      };
    },
  };

  function withdrawnIn(receipt: TransactionReceipt): bigint {
    for (const log of receipt.logs) {
      const parsed = getAddress(log.address) === getAddress(receipt.to!) ? revenue.parseLog(log) : null;
      if (parsed?.name === "Withdrawn") return parsed.args.amount as bigint;
    }
    return 0n;
  }
}
