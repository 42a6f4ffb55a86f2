import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress } from "ethers";
import { Topics } from "../../deploy/topics.js";
import { readLedger } from "../../sdk/data.js";
import { deployData, DAY, USD } from "./fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function historyFixture() {
  const f = await deployData(connection);
  const dataHash = ethers.id("ledger test data set");
  const tokenId = BigInt(dataHash);
  await (await f.element.connect(f.provider).register(dataHash, 1, 9, 100, "", [])).wait();
  await (await f.element.connect(f.provider).setOperator(tokenId, f.operator.address)).wait();
  const offer = {
    paymentToken: await f.usd.getAddress(),
    pricePerSecond: 3n,
    minDuration: DAY,
    maxDuration: 30n * DAY,
    topic: Topics.DATA_EXCHANGE_MEMBER,
    requiresPresentation: false,
  };
  await (await f.element.connect(f.operator).publishOffer(tokenId, offer)).wait();
  await (await f.element.connect(f.bank).rent(tokenId, 2n * DAY, 100n * USD)).wait();
  await (await f.element.connect(f.provider).transferFrom(f.provider.address, f.exchange.address, tokenId)).wait();
  await networkHelpers.time.increase(3n * DAY);
  await (await f.element.connect(f.renter2).rent(tokenId, DAY, 100n * USD)).wait();
  await (await f.element.connect(f.operator).withdrawOffer(tokenId)).wait();
  return { ...f, tokenId, offer };
}

describe("sdk/data readLedger", function () {
  it("rebuilds a token's circulation ledger from events, in chain order", async function () {
    const f = await networkHelpers.loadFixture(historyFixture);
    const { entries, rentals, problems } = await readLedger(f.element, f.tokenId);
    expect(problems).to.deep.equal([]);
    expect(entries.map((e) => e.kind)).to.deep.equal([
      "transfer", // the mint, then its registration event
      "registered",
      "operator",
      "offer",
      "user",
      "rental",
      "transfer", // the paid user stays: no user entry
      "user",
      "rental",
      "offerWithdrawn",
    ]);
    expect(entries[0]).to.include({ kind: "transfer", from: ZeroAddress, to: f.provider.address });
    expect(entries[1]).to.include({ kind: "registered", registrant: f.provider.address, classification: 1, category: 9, royaltyBps: 100 });
    expect(entries[2]).to.include({ kind: "operator", previous: ZeroAddress, operator: f.operator.address });
    expect(rentals.map((r) => [r.rental, r.renter, r.fee])).to.deep.equal([
      [1, f.bank.address, 3n * 2n * DAY],
      [2, f.renter2.address, 3n * DAY],
    ]);
    expect(rentals[0].expires - rentals[0].start).to.equal(2n * DAY - 1n);
    expect(entries[6]).to.include({ kind: "transfer", from: f.provider.address, to: f.exchange.address });
  });

  it("reads a slice from a block on without judging its numbering", async function () {
    const f = await networkHelpers.loadFixture(historyFixture);
    const [first] = (await readLedger(f.element, f.tokenId)).rentals;
    const partial = await readLedger(f.element, f.tokenId, first.blockNumber + 1);
    expect(partial.rentals.map((r) => r.rental)).to.deep.equal([2]);
    expect(partial.problems).to.deep.equal([]);
  });

  it("reports a lost rental event: a gap in the numbering and a count the registry contradicts", async function () {
    const f = await networkHelpers.loadFixture(historyFixture);
    // A node (or indexer) that lost the first Rented event.
    const lossy = new Proxy(f.element, {
      get(target, property, receiver) {
        if (property !== "queryFilter") return Reflect.get(target, property, receiver);
        return async (...args: Parameters<typeof target.queryFilter>) => {
          const logs = await target.queryFilter(...args);
          return logs.filter((log) => !("fragment" in log && log.fragment.name === "Rented" && log.args.rental === 1n));
        };
      },
    });
    const { rentals, problems } = await readLedger(lossy, f.tokenId);
    expect(rentals.map((r) => r.rental)).to.deep.equal([2]);
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^rental #1 expected, event says #2 \(tx 0x[0-9a-f]{64}\)$/);
    expect(problems[1]).to.equal("the registry counts 2 rentals, the events show 1");
  });
});
