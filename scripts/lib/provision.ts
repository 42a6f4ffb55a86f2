import type { NetworkConnection } from "hardhat/types/network";
import type { ProvisionContext } from "../provision/context.js";
import { provisions } from "../provision/index.js";
import { suiteAddress, type SuiteDeployment } from "./suite.js";

/**
 * Runs every module's provisioning step (scripts/provision/index.ts) with its parameters section; returns the
 * number of transactions sent (0 when the chain already held everything).
 */
export async function provisionSuite(
  connection: NetworkConnection,
  suite: SuiteDeployment,
  log: (line: string) => void = () => {},
): Promise<number> {
  const [deployer] = await connection.ethers.getSigners();
  let sent = 0;
  for (const provision of provisions) {
    const context: ProvisionContext = {
      connection,
      suite,
      deployer,
      parameters: (suite.parameters[provision.module] ?? {}) as Record<string, unknown>,
      address: (name) => suiteAddress(suite, name),
      async send(description, transaction) {
        const receipt = await (await transaction).wait();
        sent += 1;
        log(`${provision.module}: ${description} (${receipt?.hash})`);
      },
    };
    await provision.run(context);
  }
  return sent;
}
