import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A secret this installation made for itself (the key that signs its own sessions' tokens). */
@Entity('installation_keys')
@Check('CHK_installation_keys_secret', `length("secret") >= 32`)
export class InstallationKey {
  @PrimaryColumn({ type: 'text' })
  name: string;

  @Column({ type: 'bytea' })
  secret: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
