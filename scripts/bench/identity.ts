import { encodeBytes32String, id, solidityPackedKeccak256, Wallet, ZeroAddress } from "ethers";
import { Topics } from "../../deploy/topics.js";
import {
  CredentialRegistry__factory,
  DIDRegistry__factory,
  GatedActionMock__factory,
} from "../../typechain-types/index.js";
import { CredentialRegistryTypes, DIDRegistryTypes, domainOf } from "../../sdk/eip712.js";
import type { Bench } from "./context.js";

const DAY = 86_400n;
const SERVICE = encodeBytes32String("did/svc/DataService");
const VERI_KEY = encodeBytes32String("veriKey");

/**
 * Identity operations; budgets and ERC-1056 reference figures in bench/budgets.json. "first" writes fresh
 * storage, "warm" repeats the operation on storage already written (as the reference figures do).
 */
export const identity: Bench = {
  module: "Identity",
  async run({ address, connection, measure, record, signers }) {
    const { ethers } = connection;
    const [admin, alice, bob, carol, issuer, holder, verifier] = signers;
    const dids = DIDRegistry__factory.connect(address("didRegistry"), admin);
    const credentials = CredentialRegistry__factory.connect(address("credentialRegistry"), admin);
    const { chainId } = await ethers.provider.getNetwork();
    const didDomain = domainOf("DIDRegistry", chainId, await dids.getAddress());

    await measure("did.changeOwner.first", dids.connect(alice).changeOwner(alice.address, bob.address));
    await measure("did.changeOwner.warm", dids.connect(bob).changeOwner(alice.address, carol.address));
    await measure("did.setAttribute32.first", dids.connect(bob).setAttribute(bob.address, SERVICE, id("endpoint 1"), DAY));
    await measure("did.setAttribute32.warm", dids.connect(bob).setAttribute(bob.address, SERVICE, id("endpoint 2"), DAY));
    await measure("did.addDelegate.first", dids.connect(issuer).addDelegate(issuer.address, VERI_KEY, verifier.address, DAY));
    await measure("did.addDelegate.warm", dids.connect(issuer).addDelegate(issuer.address, VERI_KEY, verifier.address, DAY));

    // Signed variants, relayed: "warm" once the owner's nonce slot exists (its first use writes a new slot).
    // A fixed key: the signature bytes (and so the calldata cost) are the same on every run.
    const owner = new Wallet(id("trustbase bench DID owner"), ethers.provider);
    await (await admin.sendTransaction({ to: owner.address, value: ethers.parseEther("1") })).wait();
    const legacy = async () => {
      const hash = solidityPackedKeccak256(
        ["bytes1", "bytes1", "address", "uint256", "address", "string", "address"],
        ["0x19", "0x00", await dids.getAddress(), await dids.nonce(owner.address), owner.address, "changeOwner", owner.address],
      );
      return owner.signingKey.sign(hash);
    };
    let sig = await legacy();
    await measure("did.changeOwnerSigned.first", dids.connect(verifier).changeOwnerSigned(owner.address, sig.v, sig.r, sig.s, owner.address));
    sig = await legacy();
    await measure("did.changeOwnerSigned.warm", dids.connect(verifier).changeOwnerSigned(owner.address, sig.v, sig.r, sig.s, owner.address));
    const deadline = BigInt(await connection.networkHelpers.time.latest()) + DAY;
    const typed = async () =>
      owner.signTypedData(didDomain, DIDRegistryTypes.ChangeOwner, {
        identity: owner.address,
        newOwner: owner.address,
        nonce: await dids.nonce(owner.address),
        deadline,
      });
    await measure("did.changeOwnerTyped.warm", dids.connect(verifier).changeOwnerBySig(owner.address, owner.address, deadline, await typed()));

    const batch = Array.from({ length: 5 }, (_, i) => ({
      kind: 3, // SetAttribute
      name: encodeBytes32String(`did/svc/endpoint${i}`),
      account: ZeroAddress,
      validity: DAY,
      value: id(`endpoint value ${i}`),
    }));
    await measure("did.batch5.warm", dids.connect(bob).changeBatch(bob.address, batch));

    // Credentials: the issuer is trusted for KYC and for data-exchange membership.
    await (await credentials.setIssuerTrust(Topics.KYC, issuer.address, true)).wait();
    await (await credentials.setIssuerTrust(Topics.DATA_EXCHANGE_MEMBER, issuer.address, true)).wait();
    const now = BigInt(await connection.networkHelpers.time.latest());
    const kyc = id("bench:kyc:holder");
    const member = id("bench:member:holder");
    await measure("credential.issue", credentials.connect(issuer).issue(kyc, issuer.address, holder.address, Topics.KYC, now, now + 365n * DAY));
    await (await credentials.connect(issuer).issue(member, issuer.address, holder.address, Topics.DATA_EXCHANGE_MEMBER, now, now + 365n * DAY)).wait();
    const doomed = id("bench:kyc:alice");
    await (await credentials.connect(issuer).issue(doomed, issuer.address, alice.address, Topics.KYC, now, now + 365n * DAY)).wait();
    await measure("credential.revoke", credentials.connect(issuer).revoke(doomed));

    const presentation = { holder: holder.address, verifier: verifier.address, credentialIds: [kyc, member], validUntil: now + DAY };
    const credentialsDomain = domainOf("CredentialRegistry", chainId, await credentials.getAddress());
    const signature = await holder.signTypedData(credentialsDomain, CredentialRegistryTypes.Presentation, presentation);
    await measure(
      "credential.verifyPresentation2",
      verifier.sendTransaction({
        to: await credentials.getAddress(),
        data: credentials.interface.encodeFunctionData("verifyPresentation", [presentation, signature]),
      }),
    );

    // The gate: the same state change gated and ungated, for an account holding the credential.
    const gated = await new GatedActionMock__factory(admin).deploy(await dids.getAddress(), await credentials.getAddress(), Topics.KYC);
    await (await gated.connect(holder).actUngated()).wait(); // the counter slot exists for both calls
    const withGate = await measure("gate.act.gated", gated.connect(holder).act());
    const withoutGate = await measure("gate.act.ungated", gated.connect(holder).actUngated());
    record("gate.overhead", withGate - withoutGate);
  },
};
