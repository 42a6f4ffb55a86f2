import { encodeBytes32String, id } from "ethers";

/** A module's name as TrustDirectory stores it. */
export function moduleName(name: string): string {
  return encodeBytes32String(name);
}

/** 4-byte selectors of the given function signatures, for AccessManager.setTargetFunctionRole. */
export function selectors(...signatures: string[]): string[] {
  return signatures.map((signature) => id(signature).slice(0, 10));
}

type ModuleBuilder = Parameters<Parameters<typeof import("@nomicfoundation/hardhat-ignition/modules").buildModule>[1]>[0];
type Future = ReturnType<ModuleBuilder["contract"]>;
type ArgumentType = Parameters<ModuleBuilder["contract"]>[1] extends readonly (infer A)[] | undefined ? A : never;

/**
 * Deploys `contractName` as a UUPS implementation behind an ERC1967Proxy initialized with `initialize(...initArgs)`,
 * and returns the proxy typed as the implementation's ABI.
 */
export function deployProxy(
  m: ModuleBuilder,
  contractName: string,
  constructorArgs: ArgumentType[],
  initArgs: ArgumentType[],
): { implementation: Future; proxy: Future } {
  const implementation = m.contract(contractName, constructorArgs, { id: `${contractName}Implementation` });
  const initData = m.encodeFunctionCall(implementation, "initialize", initArgs);
  const erc1967 = m.contract("ERC1967Proxy", [implementation, initData], { id: `${contractName}Proxy` });
  const proxy = m.contractAt(contractName, erc1967, { id: contractName });
  return { implementation, proxy };
}
