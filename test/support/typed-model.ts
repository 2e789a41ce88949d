import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;

const tensor = (name: string, elemType: number, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
const node = (opType: string, input: string[], output: string[], attribute: onnxProto.onnx.IAttributeProto[] = []) => ({ opType, input, output, name: output[0], attribute });
const cast = (from: string, to: string) => node('Cast', [from], [to], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: DataType.DOUBLE }]);
const double = (name: string, value: number) => ({ name, dims: [1], dataType: DataType.DOUBLE, doubleData: [value] });

/**
 * A model with one input of each type a CSV column feeds that the exported
 * models here lack, under names real exporters produce: `flag` bool [N],
 * `count:0` int32 [N, 1] (a TensorFlow-style name), `ratio` float64 [N, 1],
 * and `3` int64 [N] (a CoreML-style digit name). Outputs
 * `y` float64 [N, 1] = 1000·flag + 10·count + ratio + 0.5·`3` (exact in
 * float64), and `echo` int64 [N], the `3` input as given.
 */
export function typedInputsModel(): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'prescore-tests',
    graph: {
      name: 'typed',
      input: [tensor('flag', DataType.BOOL, ['N']), tensor('count:0', DataType.INT32, ['N', 1]), tensor('ratio', DataType.DOUBLE, ['N', 1]), tensor('3', DataType.INT64, ['N'])],
      output: [tensor('y', DataType.DOUBLE, ['N', 1]), tensor('echo', DataType.INT64, ['N'])],
      initializer: [{ name: 'column', dims: [2], dataType: DataType.INT64, int64Data: [-1, 1] }, double('k1000', 1000), double('k10', 10), double('khalf', 0.5)],
      node: [
        cast('flag', 'flag_d'),
        node('Reshape', ['flag_d', 'column'], ['flag_c']),
        node('Mul', ['flag_c', 'k1000'], ['flag_w']),
        cast('count:0', 'count_d'),
        node('Mul', ['count_d', 'k10'], ['count_w']),
        cast('3', 'three_d'),
        node('Reshape', ['three_d', 'column'], ['three_c']),
        node('Mul', ['three_c', 'khalf'], ['three_w']),
        node('Sum', ['flag_w', 'count_w', 'ratio', 'three_w'], ['y']),
        node('Identity', ['3'], ['echo']),
      ],
    },
  }).finish();
}
