import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';

export interface DnsCertificateProps {
  /** The apex, e.g. `example.com`; the certificate covers it and `*.<domainName>`. */
  readonly domainName: string;
  /** Route 53 public hosted zone of `domainName`, where the validation record goes. */
  readonly hostedZoneId: string;
  /** TTL of the validation record, in seconds. @default 300 */
  readonly validationRecordTtl?: number;
}

/**
 * A public ACM certificate for an apex and its wildcard (`example.com`, `*.example.com`),
 * DNS-validated in Route 53, and renewed by ACM for as long as the validation record stays.
 *
 * ACM asks for the same CNAME for a name and its wildcard, so one record validates both: it is
 * keyed by the apex and read from the first validation option, which the wildcard's duplicates.
 * No `for_each`, so the plan knows every address before the certificate exists.
 */
export class DnsCertificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;
  /**
   * The certificate's ARN, available once it is validated: listeners that use it wait for the
   * validation instead of failing on a pending certificate.
   */
  readonly certificateArn: string;
  readonly domainName: string;
  readonly hostedZoneId: string;

  constructor(scope: Construct, id: string, props: DnsCertificateProps) {
    super(scope, id);
    if (props.domainName.startsWith('*.')) {
      throw new Error(
        `${this.node.path}: domainName "${props.domainName}" must be the apex; the wildcard is added`,
      );
    }
    this.domainName = props.domainName;
    this.hostedZoneId = props.hostedZoneId;

    this.certificate = new AcmCertificate(this, 'certificate', {
      domainName: props.domainName,
      subjectAlternativeNames: [`*.${props.domainName}`],
      validationMethod: 'DNS',
      keyAlgorithm: 'RSA_2048',
      tags: { Name: props.domainName },
      // A listener holds the certificate in use: the replacement must exist before it goes.
      lifecycle: { createBeforeDestroy: true },
    });

    const option = this.certificate.domainValidationOptions.get(0);
    const record = new Route53Record(this, `validation-${props.domainName}`, {
      zoneId: props.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: props.validationRecordTtl ?? 300,
      // The record may be left over from an earlier certificate for the same names.
      allowOverwrite: true,
    });

    this.validation = new AcmCertificateValidation(this, 'validation', {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: [record.fqdn],
    });
    this.certificateArn = this.validation.certificateArn;
  }
}
