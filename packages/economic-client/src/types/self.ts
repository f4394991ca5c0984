/** `GET /self` (economic-api.md §2.4). */
export interface Self {
  agreementNumber: number;
  agreementType?: { agreementTypeNumber: number; name: 'denmark' | 'sweden' | 'norway' | string };
  userName?: string;
  signupDate?: string;
  user?: {
    loginId?: string;
    email?: string;
    name?: string;
    language?: { languageNumber: number; name?: string; culture?: string; self?: string };
    agreementNumber?: number;
  };
  company?: {
    name?: string;
    addressLine1?: string;
    addressLine2?: string;
    zip?: string;
    city?: string;
    country?: string;
    phoneNumber?: string;
    faxNumber?: string;
    attention?: string;
    email?: string;
    website?: string;
    /** CVR in Denmark. */
    companyIdentificationNumber?: string;
    vatNumber?: string;
  };
  bankInformation?: {
    bankName?: string;
    bankSortCode?: string;
    bankAccountNumber?: string;
    swiftCode?: string;
    ibanNumber?: string;
    giro?: string;
    pbsCustomerGroupNumber?: string;
    pbsFiSupplierNumber?: string;
    bankGiroNumber?: string;
  };
  application?: {
    appNumber?: number;
    name?: string;
    appPublicToken?: string;
    created?: string;
    requiredRoles?: Array<{ roleNumber: number; name: string; self?: string }>;
    self?: string;
  };
  settings?: { baseCurrency: string; internationalLedger?: boolean };
  companyAffiliation?: string;
  /** Whether EAN/NemHandel sending is set up (absent means false). */
  canSendElectronicInvoice?: boolean;
  /** Enabled modules; the inventory module is `{ moduleNumber: 15, name: "Lager" }` in Danish agreements. */
  modules?: Array<{ moduleNumber: number; name: string; self?: string }>;
  self: string;
}
