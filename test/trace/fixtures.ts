import { readFileSync } from "node:fs";
import type { NetworkConnection } from "hardhat/types/network";
import TraceModule from "../../deploy/modules/Trace.js";
import { Topics } from "../../deploy/topics.js";
import { traceSteps } from "../../scripts/provision/trace.js";
import {
  CredentialRegistry__factory,
  DIDRegistry__factory,
  TraceRegistry__factory,
  AccessManager__factory,
} from "../../typechain-types/index.js";
import { eventHashOf, locationHashOf } from "../../sdk/trace.js";

export const YEAR = 365n * 24n * 3600n;

/** The step catalogue of deploy/parameters/hardhat.json (the rice, cattle and compute profiles). */
const parameters = JSON.parse(readFileSync(new URL("../../deploy/parameters/hardhat.json", import.meta.url), "utf8"));
export const STEP_LIST = traceSteps(parameters.Trace);
export const STEPS = Object.fromEntries(STEP_LIST.map((step) => [step.name, step.id])) as Record<string, number>;

/** Credential topics of the cast. */
export const CAST_TOPICS = {
  farmer: Topics.PRODUCER,
  mill: Topics.PROCESSOR,
  carrier: Topics.LOGISTICS,
  retailer: Topics.RETAILER,
  inspector: Topics.INSPECTOR,
  regulator: Topics.REGULATOR,
} as const;

/**
 * The identity layer and the TraceRegistry as the Ignition module deploys them, the step rules of hardhat.json set
 * as the provisioning step sets them, and a cast holding one credential each (the stranger none).
 */
export async function deployTrace(connection: NetworkConnection) {
  const { ethers, ignition } = connection;
  const signers = await ethers.getSigners();
  const [admin, issuer, farmer, mill, carrier, retailer, inspector, regulator, stranger, farmer2] = signers;
  const deployed = await ignition.deploy(TraceModule);
  const trace = TraceRegistry__factory.connect(await deployed.traceRegistry.getAddress(), admin);
  const credentials = CredentialRegistry__factory.connect(await deployed.credentialRegistry.getAddress(), admin);
  const dids = DIDRegistry__factory.connect(await deployed.didRegistry.getAddress(), admin);
  const accessManager = AccessManager__factory.connect(await deployed.accessManager.getAddress(), admin);
  for (const step of STEP_LIST) {
    await (await trace.setStepRule(step.id, { topic: step.topicId, custody: step.custody, authority: step.authority })).wait();
  }
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  for (const topic of new Set(Object.values(CAST_TOPICS))) {
    await (await credentials.setIssuerTrust(topic, issuer.address, true)).wait();
  }
  const cast = { farmer, mill, carrier, retailer, inspector, regulator, farmer2 };
  const topicOf = { ...CAST_TOPICS, farmer2: Topics.PRODUCER };
  for (const [name, signer] of Object.entries(cast)) {
    const credentialId = ethers.id(`trace-fixture:${name}`);
    await (
      await credentials
        .connect(issuer)
        .issue(credentialId, issuer.address, signer.address, topicOf[name as keyof typeof topicOf], now, now + YEAR)
    ).wait();
  }
  return {
    trace,
    credentials,
    dids,
    accessManager,
    implementation: await deployed.traceRegistryImplementation.getAddress(),
    admin,
    issuer,
    stranger,
    ...cast,
  };
}

/** An object event's summary with the hashes a real event would have. */
export function objectEvent(
  batchId: string,
  step: number,
  label: string,
  overrides: Partial<{ disposition: number; readPoint: string; bizLocation: string; eventHash: string; sensorRoot: string }> = {},
) {
  return {
    batchId,
    step,
    disposition: overrides.disposition ?? 1,
    readPoint: overrides.readPoint ?? locationHashOf(`urn:epc:id:sgln:9520123.45678.${label}`),
    bizLocation: overrides.bizLocation ?? locationHashOf("urn:epc:id:sgln:9520123.45678.0"),
    eventHash: overrides.eventHash ?? eventHashOf({ type: "ObjectEvent", label, batchId, step }),
    sensorRoot: overrides.sensorRoot ?? `0x${"00".repeat(32)}`,
  };
}
