/**
 * Credential topic ids, mirroring contracts/identity/Topics.sol (a test keeps the two equal).
 */
export const Topics = {
  KYC: 1,
  QUALIFIED_INVESTOR: 2,
  DATA_PROVIDER: 3,
  DATA_EXCHANGE_MEMBER: 4,
  CARRIER: 5,
  FINANCIER: 6,
  PRODUCER: 7,
  PROCESSOR: 8,
  LOGISTICS: 9,
  RETAILER: 10,
  INSPECTOR: 11,
  COURT_CLERK: 12,
  JUDGE: 13,
  NOTARY: 14,
  REGULATOR: 15,
  LAWYER: 16,
  CASE_PARTY: 17,
  ARBITRATOR: 18,
  APPRAISER: 30,
} as const;

export type TopicName = keyof typeof Topics;
